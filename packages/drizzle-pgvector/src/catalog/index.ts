export * from './catalog.js';
export * from './float-parsing.js';
