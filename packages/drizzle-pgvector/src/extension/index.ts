export { ensureVectorExtension } from './ensure-vector-extension.js';
export type { EnsureVectorExtensionOptions, VectorExtensionInfo, VectorFeature } from './ensure-vector-extension.js';
export type { ExtensionVersion } from '../catalog/index.js';
export type { SqlExecutor, TransactionalDatabase } from '../driver/index.js';
