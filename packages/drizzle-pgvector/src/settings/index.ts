export { validateVectorSettings, vectorSettingsSql, withVectorSettings } from './vector-settings.js';
export type { ValidatedVectorSettings, VectorSettingKey, VectorSettingValue, VectorSettings } from './vector-settings.js';
export type { AnyPgDatabase, TransactionOf } from './session.js';
