export * from './catalog.js';
export * from './copy-format.js';
