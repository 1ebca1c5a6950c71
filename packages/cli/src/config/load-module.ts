import { createJiti } from 'jiti';

/**
 * One loader for the config and the schema: jiti (what loads TypeScript configs without a build step). It first
 * tries a native import (so under tsx, or for .js files, the schema shares this process's module instances), and
 * always loads `drizzle-orm` / `drizzle-pgvector` natively: the schema's index builders and the library functions
 * the commands call must be one copy of drizzle-pgvector, since the library keeps what a builder declared per
 * object.
 */
const jiti = createJiti(import.meta.url, {
  tryNative: true,
  interopDefault: true,
  moduleCache: true,
  fsCache: false,
  nativeModules: ['drizzle-orm', 'drizzle-pgvector', '@electric-sql/pglite', 'pg'],
});

/** Import a TypeScript or JavaScript module by absolute path. */
export async function loadModule(path: string): Promise<Record<string, unknown>> {
  return (await jiti.import(path)) as Record<string, unknown>;
}
