import type { PgColumn } from 'drizzle-orm/pg-core';
import { isVectorTarget, toTarget, type VectorTarget } from './vector-target.js';

/** What similarity functions and `nearest` search: a vector column or an expression target. */
export type VectorTargetInput = PgColumn | VectorTarget;

/** Targets of bare columns, by column object: dropped with the column (the schema), so bounded by it. */
const TARGETS = new WeakMap<object, VectorTarget>();

/** @internal `toTarget`, cached per column so hot query paths do not rebuild the same target. */
export function resolveTarget(value: unknown, what: string): VectorTarget {
  if (value !== null && typeof value === 'object') {
    // Columns are looked up first (the common case; targets are never stored here, so a hit is always a column).
    const cached = TARGETS.get(value);
    if (cached) return cached;
    if (isVectorTarget(value)) return value;
    const target = toTarget(value, what);
    TARGETS.set(value, target);
    return target;
  }
  return toTarget(value, what);
}
