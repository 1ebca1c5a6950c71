import { FEATURE_VERSIONS, SETTINGS, versionAtLeast, type IndexMethod, type SettingKey } from '../catalog/index.js';
import { pgVectorError } from '../errors/index.js';
import { validateVectorSettings, type VectorSettings, type VectorSettingValue } from './vector-settings.js';

/**
 * The auto-settings policy of `nearest`: which pgvector settings a search gets so that an approximate index scan
 * never silently returns fewer than k rows.
 */

function settingInfo(key: SettingKey) {
  return SETTINGS.find((s) => s.key === key)!;
}

function autoValue(key: SettingKey, value: number | string): VectorSettingValue {
  return validateVectorSettings({ [key]: value } as VectorSettings, 'nearest').values[0]!;
}

/** @internal The settings a search runs with, and why. */
export interface SettingsPlan {
  values: VectorSettingValue[];
  resorted: boolean;
  notes: string[];
}

/**
 * Settings that keep an approximate search from silently returning fewer than k rows:
 * - HNSW + filter, no iterativeScan: `strict_order` on pgvector ≥ 0.8, else ef_search raised to ≥ k.
 * - HNSW, k > ef_search (40 unless given): ef_search = k when k ≤ 1000 and efSearch was not given, else
 *   `strict_order` (≥ 0.8), else INVALID_QUERY_OPTION.
 * - IVFFlat + filter, no ivfflatIterativeScan: `relaxed_order` (≥ 0.8) and a re-sort outside the scan.
 */
export function planSettings(
  fn: string,
  methods: ReadonlySet<IndexMethod>,
  hasWhere: boolean,
  k: number,
  user: readonly VectorSettingValue[],
  version: string | undefined,
): SettingsPlan {
  const final = new Map<SettingKey, VectorSettingValue>(user.map((v) => [v.key, v]));
  const notes: string[] = [];
  const iterative = version !== undefined && versionAtLeast(version, FEATURE_VERSIONS.iterativeScan);
  let resorted = false;
  if (methods.has('hnsw')) {
    const efInfo = settingInfo('efSearch');
    const efMax = efInfo.max!;
    const givenEf = final.get('efSearch');
    const ef = givenEf ? Number(givenEf.value) : (efInfo.default as number);
    const mode = final.get('iterativeScan')?.value;
    const raiseOrIterate = (why: string): void => {
      if (givenEf === undefined && k <= efMax) {
        final.set('efSearch', autoValue('efSearch', k));
        notes.push(`${why}: hnsw.ef_search = ${k} (an HNSW scan returns at most ef_search rows).`);
      } else if (iterative && mode === undefined) {
        final.set('iterativeScan', autoValue('iterativeScan', 'strict_order'));
        notes.push(`${why}: hnsw.iterative_scan = strict_order (an HNSW scan returns at most ef_search rows; bounded by hnsw.max_scan_tuples).`);
      } else {
        throw pgVectorError(
          'INVALID_QUERY_OPTION',
          `${fn}: k = ${k} is more than HNSW can return with efSearch = ${ef}${mode === 'off' ? " and iterativeScan 'off'" : ''} (a scan returns at most ef_search rows, ef_search ≤ ${efMax}). ${
            iterative ? "Use iterativeScan: 'strict_order', or raise efSearch to at least k." : `Lower k to at most ${efMax}, or upgrade to pgvector ${FEATURE_VERSIONS.iterativeScan} for iterative scans.`
          }`,
          { k, efSearch: ef, iterativeScan: mode },
        );
      }
    };
    if (mode === undefined && hasWhere) {
      if (iterative) {
        final.set('iterativeScan', autoValue('iterativeScan', 'strict_order'));
        notes.push('filtered HNSW search: hnsw.iterative_scan = strict_order, so rows removed by the filter do not shrink the result below k.');
      } else {
        if (k > ef) raiseOrIterate('filtered HNSW search with k above ef_search');
        notes.push(
          `filtered HNSW search on pgvector ${version ?? '< 0.8'}: no iterative scans before 0.8, so a selective filter can return fewer than k rows; raise efSearch.`,
        );
      }
    } else if (mode === undefined || mode === 'off') {
      if (k > ef) raiseOrIterate(`k = ${k} above ef_search = ${ef}`);
    }
    if (final.get('iterativeScan')?.value === 'relaxed_order') resorted = true;
  }
  if (methods.has('ivfflat')) {
    const mode = final.get('ivfflatIterativeScan')?.value;
    if (mode === undefined && hasWhere) {
      if (iterative) {
        final.set('ivfflatIterativeScan', autoValue('ivfflatIterativeScan', 'relaxed_order'));
        notes.push('filtered IVFFlat search: ivfflat.iterative_scan = relaxed_order (re-sorted outside the scan), so the filter does not shrink the result below k.');
      } else {
        notes.push(`filtered IVFFlat search on pgvector ${version ?? '< 0.8'}: no iterative scans before 0.8, so a selective filter can return fewer than k rows; raise probes.`);
      }
    }
  }
  for (const v of final.values()) if (v.value === 'relaxed_order') resorted = true;
  const values = SETTINGS.map((s) => final.get(s.key as SettingKey)).filter((v): v is VectorSettingValue => v !== undefined);
  return { values, resorted, notes };
}
