export * from './errors/index.js';
export * from './catalog/index.js';
export * from './codec/index.js';
export * from './columns/index.js';
export * from './targets/index.js';
export * from './indexes/index.js';
