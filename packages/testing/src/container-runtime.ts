import { describeError } from './errors.js';
import { isModuleNotFound } from './support.js';

/** @internal Default budget of {@link isContainerRuntimeAvailable} (what `auto` backend selection waits at most). */
export const RUNTIME_CHECK_TIMEOUT_MS = 2000;
const MAX_TIMEOUT_MS = 60_000;

/** @internal Outcome of asking testcontainers for a container runtime. */
export type ContainerRuntimeProbe = { available: true; host: string } | { available: false; reason: string };

/**
 * @internal Ask testcontainers itself (`getContainerRuntimeClient()`, the same strategies it uses to start
 * containers: `tc.host` / `docker.host` in `~/.testcontainers.properties`, `DOCKER_HOST`, `/var/run/docker.sock`,
 * rootless sockets, the Windows named pipe) whether a container runtime answers, within `timeoutMs`.
 * Never throws.
 */
export async function probeContainerRuntime(timeoutMs: number): Promise<ContainerRuntimeProbe> {
  const budget = Math.max(1, Math.min(Number.isFinite(timeoutMs) ? timeoutMs : RUNTIME_CHECK_TIMEOUT_MS, MAX_TIMEOUT_MS));
  let getClient: typeof import('testcontainers').getContainerRuntimeClient;
  try {
    ({ getContainerRuntimeClient: getClient } = await import('testcontainers'));
  } catch (error) {
    return {
      available: false,
      reason: isModuleNotFound(error)
        ? 'the optional package testcontainers (installed with @testcontainers/postgresql) is not installed'
        : `testcontainers could not be loaded: ${describeError(error)}`,
    };
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ContainerRuntimeProbe>((resolve) => {
    timer = setTimeout(
      () => resolve({ available: false, reason: `no container runtime answered within ${budget} ms` }),
      budget,
    );
    timer.unref();
  });
  const asked = getClient().then(
    (client): ContainerRuntimeProbe => ({ available: true, host: client.info.containerRuntime.host }),
    (error: unknown): ContainerRuntimeProbe => ({
      available: false,
      reason: `testcontainers found no working container runtime (${describeError(error)})`,
    }),
  );
  try {
    return await Promise.race([asked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Check whether testcontainers can reach a container runtime (Docker, Podman, Colima, Testcontainers Cloud…),
 * using testcontainers' own runtime detection rather than a guess of ours.
 *
 * The detection reads `~/.testcontainers.properties` and `DOCKER_HOST` / `DOCKER_TLS_VERIFY` /
 * `DOCKER_CERT_PATH` from `process.env` the first time it runs in a process (testcontainers caches them), then
 * tries its strategies in order. Answers `false` when the optional `testcontainers` package is not installed,
 * when no strategy works, or when none answered within `timeoutMs`. Never throws.
 *
 * @param options.timeoutMs - upper bound for the check; default 2000 ms, at most 60 000 ms.
 * @returns `true` when a container runtime answered.
 *
 * @example
 * ```ts
 * import { isContainerRuntimeAvailable } from '@drizzle-pgvector/testing';
 *
 * if (await isContainerRuntimeAvailable({ timeoutMs: 1000 })) {
 *   console.log('testcontainers can start pgvector/pgvector:pg17 here');
 * }
 * ```
 */
export async function isContainerRuntimeAvailable(options: { timeoutMs?: number } = {}): Promise<boolean> {
  return (await probeContainerRuntime(options.timeoutMs ?? RUNTIME_CHECK_TIMEOUT_MS)).available;
}
