import { pgVectorError } from '../errors/index.js';

/**
 * @internal Import an optional peer dependency on first use, so that an entry point which needs it only for one
 * function loads without it. When it is not installed: `MISSING_PEER_DEPENDENCY` naming the package, what needs
 * it and the install command (not Node's `ERR_MODULE_NOT_FOUND`). Any other failure while loading it is rethrown.
 */
export async function importPeer<T>(name: string, neededBy: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    const notFound = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && new RegExp(`['"/]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"/]`).test(message);
    if (!notFound) throw error;
    throw pgVectorError(
      'MISSING_PEER_DEPENDENCY',
      `${neededBy} needs the package ${name}, which is not installed (an optional peer dependency of drizzle-pgvector). Install it: npm install ${name} (pnpm add ${name}, yarn add ${name}).`,
      { package: name, install: `npm install ${name}` },
      error,
    );
  }
}
