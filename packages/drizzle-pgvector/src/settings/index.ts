export { validateVectorSettings, vectorSettingsSql } from './vector-settings.js';
export type { ValidatedVectorSettings, VectorSettingKey, VectorSettingValue, VectorSettings } from './vector-settings.js';
export { withVectorSettings } from './with-settings.js';
export type { AnyPgDatabase, TransactionOf } from '../driver/index.js';
