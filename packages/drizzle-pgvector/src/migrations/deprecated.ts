// Names `drizzle-pgvector/migrator` re-exported from the root entry until 0.1.x; each is exported from the root
// entry only now (one import path per name). These aliases are removed in the next minor release.
import * as root from '../extension/index.js';

/** @deprecated Import `ensureVectorExtension` from `drizzle-pgvector`; this alias is removed in the next minor release. */
export const ensureVectorExtension: typeof root.ensureVectorExtension = (db, options) => root.ensureVectorExtension(db, options);
/** @deprecated Import `EnsureVectorExtensionOptions` from `drizzle-pgvector`. */
export type EnsureVectorExtensionOptions = root.EnsureVectorExtensionOptions;
/** @deprecated Import `SqlExecutor` from `drizzle-pgvector`. */
export type SqlExecutor = root.SqlExecutor;
/** @deprecated Import `TransactionalDatabase` from `drizzle-pgvector`. */
export type TransactionalDatabase = root.TransactionalDatabase;
/** @deprecated Import `VectorExtensionInfo` from `drizzle-pgvector`. */
export type VectorExtensionInfo = root.VectorExtensionInfo;
