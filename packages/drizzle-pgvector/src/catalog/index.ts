export * from './catalog.js';
export * from './index-build.js';
export * from './index-operations.js';
export * from './float-parsing.js';
export * from './copy-format.js';
export { compareVersions, parseRequiredVersion, parseServerVersion, versionAtLeast } from './versions.js';
export type { ExtensionVersion } from './versions.js';
export { CITUS } from './citus.js';
export { FILTERED_SEARCH } from './filtered-search.js';
