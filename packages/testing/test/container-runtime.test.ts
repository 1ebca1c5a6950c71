import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isContainerRuntimeAvailable, resolveBackend } from '../src/index.js';
import { cleanEnv } from './helpers.js';

// testcontainers reads DOCKER_HOST once per process, the first time it looks for a runtime, and tries it before
// /var/run/docker.sock. This file (its own process) points it at a stand-in engine that answers the two calls
// its runtime detection makes (GET /info, and GET /networks/bridge when running inside a container): this checks
// that our detection is testcontainers' own, whatever the machine has.
describe('isContainerRuntimeAvailable (testcontainers detection, against a stand-in engine)', () => {
  let dir: string;
  let server: Server;
  const sockets = new Set<Socket>();
  const seen: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pgvector-testing-runtime-'));
    const path = join(dir, 'engine.sock');
    server = createServer((request, response) => {
      const url = (request.url ?? '').replace(/^\/v[\d.]+/, '');
      seen.push(`${request.method} ${url}`);
      response.setHeader('Content-Type', 'application/json');
      if (url.startsWith('/info')) {
        response.end(
          JSON.stringify({
            ServerVersion: '99.0.0-standin',
            OperatingSystem: 'Stand-in Linux',
            OSType: 'linux',
            Architecture: 'x86_64',
            NCPU: 1,
            MemTotal: 1 << 30,
            IndexServerAddress: 'https://index.docker.io/v1/',
          }),
        );
      } else if (url.startsWith('/networks/')) {
        response.end(JSON.stringify({ Name: 'bridge', IPAM: { Config: [{ Subnet: '127.0.0.0/8', Gateway: '127.0.0.1' }] } }));
      } else {
        response.statusCode = 404;
        response.end(JSON.stringify({ message: `stand-in engine: no ${url}` }));
      }
    });
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    process.env.DOCKER_HOST = `unix://${path}`;
  });

  afterAll(async () => {
    delete process.env.DOCKER_HOST;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('answers true once testcontainers reaches the engine named by DOCKER_HOST', async () => {
    await expect(isContainerRuntimeAvailable({ timeoutMs: 10_000 })).resolves.toBe(true);
    expect(seen.some((call) => call.startsWith('GET /info'))).toBe(true);
  });

  it('makes auto (no DATABASE_URL) resolve to testcontainers', async () => {
    await expect(resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'auto' }))).resolves.toBe('testcontainers');
  });

  it('still lets DATABASE_URL win over a container runtime', async () => {
    await expect(resolveBackend(cleanEnv({ DATABASE_URL: 'postgres://u@localhost/db' }))).resolves.toBe('url');
  });
});
