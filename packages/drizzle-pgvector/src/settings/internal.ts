/** @internal What the query layer uses of the settings layer (not part of the public surface). */
export { checkSettingsVersion, needsVersionCheck, setLocalStatement, validateVectorSettings } from './vector-settings.js';
export type { VectorSettingKey, VectorSettingValue, VectorSettings } from './vector-settings.js';
export { planSettings, type SettingsPlan } from './auto-settings.js';
export { runWithSettings, runWithStatements, settingsStatements } from './with-settings.js';
