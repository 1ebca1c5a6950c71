export * from './catalog.js';
export * from './index-build.js';
