import { createServer } from 'node:net';

import { expect } from 'vitest';

import { PgVectorTestError, type PgVectorTestErrorCode } from '../src/index.js';

/** Await a promise that must reject with a PgVectorTestError of the given code; returns the error. */
export async function expectTestError(promise: Promise<unknown>, code: PgVectorTestErrorCode): Promise<PgVectorTestError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a rejection with code ${code}`).toBeInstanceOf(PgVectorTestError);
  const error = caught as PgVectorTestError;
  expect(error.code).toBe(code);
  expect(error).toBeInstanceOf(Error);
  return error;
}

/** A loopback TCP port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address !== 'object') throw new Error('no address');
  return address.port;
}

/** A copy of the environment without the variables that steer backend selection. */
export function cleanEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PGVECTOR_TEST_BACKEND;
  delete env.DATABASE_URL;
  return { ...env, ...overrides };
}
