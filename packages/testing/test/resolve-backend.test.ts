import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isDockerAvailable, resolveBackend, TEST_BACKENDS } from '../src/index.js';
import { cleanEnv, closedPort, expectTestError } from './helpers.js';

describe('resolveBackend', () => {
  it('picks url when DATABASE_URL is set and no backend is forced', async () => {
    await expect(resolveBackend(cleanEnv({ DATABASE_URL: 'postgres://u@localhost:5432/db' }))).resolves.toBe('url');
    await expect(
      resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'auto', DATABASE_URL: 'postgres://u@localhost/db' })),
    ).resolves.toBe('url');
  });

  it('honours PGVECTOR_TEST_BACKEND over DATABASE_URL, case-insensitively', async () => {
    await expect(resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'pglite' }))).resolves.toBe('pglite');
    await expect(
      resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: ' PGlite ', DATABASE_URL: 'postgres://u@localhost/db' })),
    ).resolves.toBe('pglite');
    await expect(resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'url' }))).resolves.toBe('url');
    await expect(resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'testcontainers' }))).resolves.toBe('testcontainers');
  });

  it('rejects an unknown name with INVALID_TEST_BACKEND naming the value and the choices', async () => {
    const error = await expectTestError(resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'docker' })), 'INVALID_TEST_BACKEND');
    expect(error.message).toContain('"docker"');
    expect(error.message).toContain('PGVECTOR_TEST_BACKEND');
    for (const name of TEST_BACKENDS) expect(error.message).toContain(name);
  });

  it('treats an empty PGVECTOR_TEST_BACKEND as auto', async () => {
    await expect(
      resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: '', DATABASE_URL: 'postgres://u@localhost/db' })),
    ).resolves.toBe('url');
  });

  it('auto without DATABASE_URL: testcontainers exactly when a Docker engine answers, else pglite', async () => {
    const env = cleanEnv();
    const docker = await isDockerAvailable(env);
    const backend = await resolveBackend(env);
    expect(['testcontainers', 'pglite']).toContain(backend);
    expect(backend).toBe(docker ? 'testcontainers' : 'pglite');
  });
});

/** A stand-in for the Docker engine's HTTP API on a unix socket: only answers GET /_ping. */
function listen(server: Server, target: string | number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    if (typeof target === 'string') server.listen(target, resolve);
    else server.listen(target, '127.0.0.1', resolve);
  });
}

describe('isDockerAvailable (probe against local stand-in endpoints)', () => {
  let dir: string;
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let pingSocket: string;
  let silentSocket: string;
  let garbageSocket: string;
  let pingPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pgvector-testing-'));
    pingSocket = join(dir, 'ping.sock');
    silentSocket = join(dir, 'silent.sock');
    garbageSocket = join(dir, 'garbage.sock');
    const ping = createServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK'));
    });
    const pingTcp = createServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK'));
    });
    const silent = createServer((socket) => {
      socket.resume(); // reads (so it notices the client going away) but never answers
    });
    const garbage = createServer((socket) => {
      socket.once('data', () => socket.end('Too many connections\n'));
    });
    servers.push(ping, pingTcp, silent, garbage);
    for (const server of servers) server.on('connection', (socket) => sockets.add(socket));
    await listen(ping, pingSocket);
    await listen(silent, silentSocket);
    await listen(garbage, garbageSocket);
    await listen(pingTcp, 0);
    const address = pingTcp.address();
    if (address === null || typeof address !== 'object') throw new Error('no address');
    pingPort = address.port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('answers true for a unix socket that responds to /_ping', async () => {
    await expect(isDockerAvailable(cleanEnv({ DOCKER_HOST: `unix://${pingSocket}` }))).resolves.toBe(true);
  });

  it('answers true for tcp:// DOCKER_HOST that responds to /_ping', async () => {
    await expect(isDockerAvailable(cleanEnv({ DOCKER_HOST: `tcp://127.0.0.1:${pingPort}` }))).resolves.toBe(true);
  });

  it('answers false for a missing socket file and a closed tcp port', async () => {
    await expect(isDockerAvailable(cleanEnv({ DOCKER_HOST: `unix://${join(dir, 'missing.sock')}` }))).resolves.toBe(false);
    await expect(isDockerAvailable(cleanEnv({ DOCKER_HOST: `tcp://127.0.0.1:${await closedPort()}` }))).resolves.toBe(false);
  });

  it('answers false for a listener that is not an HTTP engine', async () => {
    await expect(isDockerAvailable(cleanEnv({ DOCKER_HOST: `unix://${garbageSocket}` }))).resolves.toBe(false);
  });

  it('never hangs: a listener that never answers gives false within the time budget', async () => {
    const started = Date.now();
    await expect(isDockerAvailable(cleanEnv({ DOCKER_HOST: `unix://${silentSocket}` }), 300)).resolves.toBe(false);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1000);

    const startedDefault = Date.now();
    await expect(isDockerAvailable(cleanEnv({ DOCKER_HOST: `unix://${silentSocket}` }), 60_000)).resolves.toBe(false);
    expect(Date.now() - startedDefault).toBeLessThan(1500); // budget is clamped to 1 s
  });

  it('auto resolves to testcontainers when the probe finds an engine, pglite when DOCKER_HOST points nowhere', async () => {
    await expect(resolveBackend(cleanEnv({ DOCKER_HOST: `unix://${pingSocket}` }))).resolves.toBe('testcontainers');
    await expect(resolveBackend(cleanEnv({ DOCKER_HOST: `unix://${join(dir, 'missing.sock')}` }))).resolves.toBe('pglite');
  });
});
