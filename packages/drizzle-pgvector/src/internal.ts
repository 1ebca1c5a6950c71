/**
 * The documented internal entry: what this repository's own tests (and sibling packages in the workspace) may
 * use beyond the public surface of `src/index.ts`. Not exported from the package; no compatibility promise.
 *
 * - `driverOf(db)`: the driver layer (`src/driver/`) for a Drizzle database — run statements, transactions with
 *   `SET LOCAL`, held connections — the way the library itself talks to the database.
 * - `drizzleLine`: which drizzle-orm line (0.45 / 1.0) is installed, for tests whose expected output differs by line.
 * - `versionAtLeast`, `checkSettingsVersion`: version checks the tests pin.
 * - `settingsStatements`: the statements a settings transaction starts with (Citus propagation included).
  * - `cachedShapes` / `cachedSelections` / `cachedContexts` and their bounds: the query caches' sizes.
 * - `chooseSetting`: the rule `tuneSearch` uses to pick a setting from a measured curve.
 *
 * @packageDocumentation
 */
export { driverOf, type Driver, type DriverConnection } from './driver/index.js';
export { serverFacts } from './pg-catalog/index.js';
export { drizzleLine, type DrizzleLine } from './compat/index.js';
export { versionAtLeast } from './catalog/index.js';
export { checkSettingsVersion } from './settings/internal.js';
export { settingsStatements } from './settings/internal.js';
export { cachedShapes } from './queries/nearest/compile.js';
export { MAX_SHAPES_PER_DB } from './queries/nearest/bounded-cache.js';
export { cachedSelections, MAX_SELECTIONS_PER_TABLE } from './queries/nearest/selection.js';
export { cachedContexts, MAX_CONTEXTS_PER_COLUMN } from './queries/nearest/context.js';
export { BISECTION_STEPS, chooseSetting, type CurvePoint, type ValidationPoint } from './tuning/choose-setting.js';
export { recallBound, RECALL_CONFIDENCE_Z } from './tuning/recall-bound.js';
export { parsedFloat4 } from './codec/parsed-float4.js';
