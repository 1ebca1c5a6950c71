import { INDEX_OPTIONS } from '../catalog/index.js';

/** Index storage parameters in effect (explicit `WITH (…)` values, else pgvector's defaults). */
export interface LiveIndexOptions {
  readonly m?: number;
  readonly efConstruction?: number;
  readonly lists?: number;
}

/**
 * @internal `pg_class.reloptions` (`{m=16,ef_construction=64}` as text, or the array a driver parsed it into) →
 * numbers keyed by SQL name. The one parser of reloptions.
 */
export function parseReloptions(value: unknown): Record<string, number> {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.replace(/^\{|\}$/g, '').split(',').filter(Boolean) : [];
  const out: Record<string, number> = {};
  for (const item of list) {
    const text = String(item);
    const eq = text.indexOf('=');
    if (eq > 0) out[text.slice(0, eq)] = Number(text.slice(eq + 1));
  }
  return out;
}

/** @internal Options in effect: the stored ones, else pgvector's defaults (from the catalog table). */
export function effectiveOptions(method: string, stored: Readonly<Record<string, number>>): LiveIndexOptions {
  const out: Record<string, number> = {};
  for (const o of INDEX_OPTIONS) if (o.method === method) out[o.key] = stored[o.sqlName] ?? o.default;
  return out;
}
