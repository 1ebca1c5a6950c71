/**
 * drizzle-kit's programmatic API on either line: 0.31 (`drizzle-kit/api`, synchronous `generateDrizzleJson`) and
 * 1.0 (`drizzle-kit/api-postgres`, asynchronous). Same names as drizzle-kit's, so tests read the same on both:
 * `await generateMigration(generateDrizzleJson({ before }), generateDrizzleJson({ after }))`.
 */
import { drizzleLine } from '../src/internal.js';

type Snapshot = Record<string, unknown>;
interface KitApi {
  generateDrizzleJson(imports: Record<string, unknown>): Snapshot | Promise<Snapshot>;
  generateMigration(prev: Snapshot, cur: Snapshot): Promise<string[]>;
}

// A variable specifier: the module that does not exist on the installed line is never resolved.
const specifier = drizzleLine === '1' ? 'drizzle-kit/api-postgres' : 'drizzle-kit/api';
const kit = (await import(/* @vite-ignore */ specifier)) as KitApi;

/** drizzle-kit's snapshot of a schema (`{ name: table, … }`); a promise on 1.0. */
export function generateDrizzleJson(imports: Record<string, unknown>): Snapshot | Promise<Snapshot> {
  return kit.generateDrizzleJson(imports);
}

/** The statements drizzle-kit generates to go from `prev` to `cur`. */
export async function generateMigration(prev: Snapshot | Promise<Snapshot>, cur: Snapshot | Promise<Snapshot>): Promise<string[]> {
  return kit.generateMigration(await prev, await cur);
}
