/**
 * @internal A Map that keeps at most `max` entries, dropping the oldest first: every per-shape cache of the
 * query layer is one of these (or a WeakMap keyed by schema objects), so no stream of distinct selections,
 * filters or targets can grow memory without bound.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    if (!this.entries.has(key) && this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }
}
