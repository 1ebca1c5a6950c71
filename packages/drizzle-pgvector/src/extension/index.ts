export { ensureVectorExtension } from './ensure-vector-extension.js';
export type { EnsureVectorExtensionOptions, VectorExtensionInfo, VectorFeature } from './ensure-vector-extension.js';
export type { ExtensionVersion } from './version.js';
export type { SqlExecutor, TransactionalDatabase } from './database.js';
