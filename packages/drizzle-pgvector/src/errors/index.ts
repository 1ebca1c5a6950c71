export { PgVectorError, pgVectorError } from './pgvector-error.js';
export type { PgVectorErrorCode, PgVectorErrorOptions } from './pgvector-error.js';
export { describe, tableNameOf } from './describe.js';
export { describeServerError, serverError } from './server-error.js';
export type { ServerErrorInfo } from './server-error.js';
export { faultAdvice, faultCode, faultError } from './fault.js';
export type { FaultCode } from './fault.js';
export { checkOptionKeys, closestName, didYouMean } from './option-keys.js';
