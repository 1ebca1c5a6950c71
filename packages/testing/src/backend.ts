import { isContainerRuntimeAvailable } from './container-runtime.js';
import { PgVectorTestError } from './errors.js';

/**
 * Where the test database comes from.
 *
 * - `pglite` – embedded PostgreSQL + pgvector compiled to WASM (`@electric-sql/pglite`); always available.
 * - `url` – an existing server given by `DATABASE_URL` (or `options.url`); must have pgvector installed.
 * - `testcontainers` – a throw-away `pgvector/pgvector` container started through a container runtime (Docker, Podman…).
 *
 * @example
 * ```ts
 * import type { TestBackendName } from '@drizzle-pgvector/testing';
 *
 * const backend: TestBackendName = process.env.CI ? 'testcontainers' : 'pglite';
 * ```
 */
export type TestBackendName = 'pglite' | 'url' | 'testcontainers';

/**
 * Every accepted backend name, in documentation order.
 *
 * @example
 * ```ts
 * import { TEST_BACKENDS } from '@drizzle-pgvector/testing';
 *
 * console.log(TEST_BACKENDS.join(', ')); // pglite, url, testcontainers
 * ```
 */
export const TEST_BACKENDS: readonly TestBackendName[] = Object.freeze(['pglite', 'url', 'testcontainers'] as const);

/** @internal */
export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** @internal Validate a backend name (case-insensitive), keeping `auto`. */
export function parseBackendName(value: string, source: string): TestBackendName | 'auto' {
  const normalized = value.trim().toLowerCase();
  if (normalized === 'auto' || (TEST_BACKENDS as readonly string[]).includes(normalized)) {
    return normalized as TestBackendName | 'auto';
  }
  throw new PgVectorTestError(
    'INVALID_TEST_BACKEND',
    `Unknown test backend ${JSON.stringify(value)} (from ${source}). ` +
      `Use one of: ${TEST_BACKENDS.join(', ')}, auto — e.g. PGVECTOR_TEST_BACKEND=pglite.`,
  );
}

/**
 * @internal Turn a requested backend (possibly `auto`) into a concrete one.
 * `auto` → `url` when a URL is known, else `testcontainers` when testcontainers finds a container runtime, else `pglite`.
 */
export async function chooseBackend(requested: string, source: string, url: string | undefined): Promise<TestBackendName> {
  const name = parseBackendName(requested, source);
  if (name !== 'auto') return name;
  if (url) return 'url';
  return (await isContainerRuntimeAvailable()) ? 'testcontainers' : 'pglite';
}

/**
 * Decide which backend {@link startTestDatabase} would use for this environment.
 *
 * Reads `PGVECTOR_TEST_BACKEND` (`pglite` | `url` | `testcontainers` | `auto`, case-insensitive; unset or
 * empty means `auto`). `auto` picks `url` when `DATABASE_URL` is set, otherwise `testcontainers` when
 * testcontainers' own runtime detection finds a container runtime ({@link isContainerRuntimeAvailable}, ≤ 2 s),
 * otherwise `pglite`. The runtime detection reads `DOCKER_HOST` & co. from `process.env`, not from `env`.
 * It only decides — it does not check that the chosen backend can actually start.
 *
 * @param env - environment to read `PGVECTOR_TEST_BACKEND` and `DATABASE_URL` from; defaults to `process.env`.
 * @throws {@link PgVectorTestError} with code `INVALID_TEST_BACKEND` for an unknown name.
 *
 * @example
 * ```ts
 * import { resolveBackend } from '@drizzle-pgvector/testing';
 *
 * await resolveBackend({ DATABASE_URL: 'postgres://localhost/test' }); // 'url'
 * await resolveBackend({ PGVECTOR_TEST_BACKEND: 'pglite' });           // 'pglite'
 * await resolveBackend();                                              // depends on this machine
 * ```
 */
export async function resolveBackend(env: NodeJS.ProcessEnv = process.env): Promise<TestBackendName> {
  return chooseBackend(
    nonEmpty(env.PGVECTOR_TEST_BACKEND) ?? 'auto',
    'PGVECTOR_TEST_BACKEND',
    nonEmpty(env.DATABASE_URL),
  );
}
