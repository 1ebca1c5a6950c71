import { probeContainerRuntime } from '../container-runtime.js';
import { describeError, PgVectorTestError } from '../errors.js';
import type { Primary, StartOptions } from '../types.js';
import { startOnServer } from './url.js';

/** How long an explicitly requested testcontainers backend waits for the runtime check. */
const EXPLICIT_RUNTIME_CHECK_MS = 15_000;

const ALTERNATIVES =
  'Without a container runtime, set PGVECTOR_TEST_BACKEND=pglite (embedded PGlite), or ' +
  'PGVECTOR_TEST_BACKEND=url with DATABASE_URL=postgres://… (an existing server with pgvector).';

/**
 * @internal Start the `testcontainers` backend: check for a container runtime through testcontainers, start a
 * `pgvector/pgvector` container (or `image`), then connect to it like the `url` backend.
 */
export async function startTestcontainers(
  image: string,
  options: StartOptions<Record<string, unknown>>,
  createExtension: boolean,
): Promise<Primary> {
  let module: typeof import('@testcontainers/postgresql');
  try {
    module = await import('@testcontainers/postgresql');
  } catch (error) {
    throw new PgVectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      `The "testcontainers" test backend needs the optional package @testcontainers/postgresql, which could not be loaded ` +
        `(${describeError(error)}). Install it (npm i -D @testcontainers/postgresql), or set PGVECTOR_TEST_BACKEND=pglite, ` +
        'or PGVECTOR_TEST_BACKEND=url with DATABASE_URL.',
      { cause: error },
    );
  }
  const runtime = await probeContainerRuntime(EXPLICIT_RUNTIME_CHECK_MS);
  if (!runtime.available) {
    throw new PgVectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      `The "testcontainers" test backend cannot start image ${JSON.stringify(image)}: ${runtime.reason}. ` +
        'testcontainers needs a running container runtime (Docker, Podman…; DOCKER_HOST or ~/.testcontainers.properties ' +
        `may point at one). ${ALTERNATIVES}`,
    );
  }
  let container: Awaited<ReturnType<InstanceType<typeof module.PostgreSqlContainer>['start']>>;
  try {
    container = await new module.PostgreSqlContainer(image).start();
  } catch (error) {
    throw new PgVectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      `Could not start a testcontainers PostgreSQL container from image ${JSON.stringify(image)} on the container ` +
        `runtime at ${runtime.host}: ${describeError(error)}. The image must contain pgvector (PGVECTOR_TEST_IMAGE). ` +
        ALTERNATIVES,
      { cause: error },
    );
  }
  const started = container;
  const stop = async (): Promise<void> => {
    await started.stop();
  };
  try {
    return await startOnServer('testcontainers', started.getConnectionUri(), options, createExtension, stop);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
