import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a Docker-compatible engine might listen. */
type DockerEndpoint =
  | { kind: 'socket'; path: string; ping: boolean }
  | { kind: 'tcp'; host: string; port: number; ping: boolean }
  /** Configured, but not probeable without a full client (e.g. `ssh://`): trusted as-is. */
  | { kind: 'configured'; value: string };

const MAX_PROBE_MS = 1000;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseDockerHost(value: string, env: NodeJS.ProcessEnv): DockerEndpoint {
  if (value.startsWith('unix://')) {
    return { kind: 'socket', path: value.slice('unix://'.length), ping: true };
  }
  if (value.startsWith('npipe://')) {
    // npipe:////./pipe/docker_engine → \\.\pipe\docker_engine
    const rest = value.slice('npipe://'.length).replace(/^\/+/, '');
    return { kind: 'socket', path: `\\\\${rest.replace(/\//g, '\\')}`, ping: true };
  }
  if (value.startsWith('tcp://') || value.startsWith('http://') || value.startsWith('https://')) {
    try {
      const parsed = new URL(value.replace(/^tcp:/, 'http:'));
      const tls = value.startsWith('https://') || nonEmpty(env.DOCKER_TLS_VERIFY) !== undefined;
      const port = parsed.port ? Number(parsed.port) : tls ? 2376 : 2375;
      const host = parsed.hostname.replace(/^\[|\]$/g, '');
      // Over TLS an HTTP ping would need client certificates: an accepted TCP connection is enough.
      return { kind: 'tcp', host, port, ping: !tls };
    } catch {
      return { kind: 'configured', value };
    }
  }
  if (value.startsWith('/')) return { kind: 'socket', path: value, ping: true };
  return { kind: 'configured', value };
}

async function readTestcontainersProperties(): Promise<Map<string, string>> {
  const properties = new Map<string, string>();
  let text: string;
  try {
    text = await readFile(join(homedir(), '.testcontainers.properties'), 'utf8');
  } catch {
    return properties;
  }
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([\w.-]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (match?.[1] && match[2] !== undefined && !line.trimStart().startsWith('#')) {
      properties.set(match[1], match[2]);
    }
  }
  return properties;
}

async function dockerEndpoints(env: NodeJS.ProcessEnv): Promise<DockerEndpoint[]> {
  const dockerHost = nonEmpty(env.DOCKER_HOST);
  if (dockerHost) return [parseDockerHost(dockerHost, env)];

  const properties = await readTestcontainersProperties();
  const configured = nonEmpty(properties.get('docker.host'));
  if (configured) return [parseDockerHost(configured, env)];
  // Testcontainers Cloud / a remote engine configured for testcontainers only.
  const tcHost = nonEmpty(properties.get('tc.host'));
  if (tcHost) return [{ kind: 'configured', value: tcHost }];

  if (process.platform === 'win32') {
    return [{ kind: 'socket', path: '\\\\.\\pipe\\docker_engine', ping: true }];
  }
  const home = homedir();
  const paths = ['/var/run/docker.sock'];
  const runtimeDir = nonEmpty(env.XDG_RUNTIME_DIR);
  if (runtimeDir) paths.push(join(runtimeDir, 'docker.sock'));
  if (typeof process.getuid === 'function') paths.push(`/run/user/${process.getuid()}/docker.sock`);
  paths.push(join(home, '.docker', 'run', 'docker.sock'), join(home, '.docker', 'desktop', 'docker.sock'));
  return [...new Set(paths)].map((path) => ({ kind: 'socket', path, ping: true }));
}

/** Resolve to true when the endpoint accepts a connection (and, when pinging, answers HTTP). */
function probeEndpoint(endpoint: DockerEndpoint, signal: AbortSignal): Promise<boolean> {
  if (endpoint.kind === 'configured') return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    let settled = false;
    let socket: Socket | undefined;
    const finish = (answer: boolean): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket?.destroy();
      resolve(answer);
    };
    const onAbort = (): void => finish(false);
    if (signal.aborted) return finish(false);
    signal.addEventListener('abort', onAbort);
    try {
      socket =
        endpoint.kind === 'socket'
          ? connect({ path: endpoint.path })
          : connect({ host: endpoint.host, port: endpoint.port });
    } catch {
      return finish(false);
    }
    socket.unref();
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('connect', () => {
      if (!endpoint.ping) return finish(true);
      socket?.write('GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n');
    });
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.length >= 5) finish(received.startsWith('HTTP/'));
    });
  });
}

/**
 * Quickly check whether a Docker-compatible engine answers, the way testcontainers would find it.
 *
 * Probes `DOCKER_HOST` when set (unix socket, named pipe or `tcp://`); otherwise `docker.host` /
 * `tc.host` from `~/.testcontainers.properties`; otherwise the usual socket locations
 * (`/var/run/docker.sock`, rootless `$XDG_RUNTIME_DIR/docker.sock`, Docker Desktop's `~/.docker/run/docker.sock`…).
 * A socket counts only if it answers `GET /_ping` with an HTTP response. Endpoints that cannot be probed
 * cheaply (`ssh://`, Testcontainers Cloud) are trusted as configured. Never takes longer than `timeoutMs`
 * (at most 1000 ms) and never throws.
 *
 * @param env - environment to read (`DOCKER_HOST`, `DOCKER_TLS_VERIFY`, `XDG_RUNTIME_DIR`); defaults to `process.env`.
 * @param timeoutMs - upper bound for the whole probe, clamped to 1000 ms.
 * @returns `true` when an engine answered.
 *
 * @example
 * ```ts
 * import { isDockerAvailable } from '@drizzle-pgvector/testing';
 *
 * if (await isDockerAvailable()) console.log('testcontainers can start pgvector/pgvector:pg17 here');
 * ```
 */
export async function isDockerAvailable(env: NodeJS.ProcessEnv = process.env, timeoutMs = MAX_PROBE_MS): Promise<boolean> {
  const budget = Math.max(1, Math.min(Number.isFinite(timeoutMs) ? timeoutMs : MAX_PROBE_MS, MAX_PROBE_MS));
  const controller = new AbortController();
  const timedOut = new Promise<boolean>((resolve) => {
    controller.signal.addEventListener('abort', () => resolve(false), { once: true });
  });
  const timer = setTimeout(() => controller.abort(), budget);
  timer.unref();
  const probeAll = async (): Promise<boolean> => {
    const endpoints = await dockerEndpoints(env);
    if (endpoints.length === 0) return false;
    return new Promise<boolean>((resolve) => {
      let pending = endpoints.length;
      const settleOne = (answered: boolean): void => {
        if (answered) resolve(true);
        else if (--pending === 0) resolve(false);
      };
      for (const endpoint of endpoints) {
        probeEndpoint(endpoint, controller.signal).then(settleOne, () => settleOne(false));
      }
    });
  };
  try {
    return await Promise.race([probeAll().catch(() => false), timedOut]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
