/** Most query shapes cached per database (and filter estimates, budgets); beyond it the oldest is dropped (then rebuilt on its next use). */
export const MAX_SHAPES_PER_DB = 500;

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

/**
 * @internal One {@link BoundedCache} per owner object (a database's dialect, a table, a column), each of at most
 * `max` entries; an owner's cache goes away with the owner.
 */
export class BoundedCaches<V> {
  private readonly byOwner = new WeakMap<object, BoundedCache<string, V>>();

  constructor(readonly max: number) {}

  /** The owner's cache, created on first use. */
  of(owner: object): BoundedCache<string, V> {
    let cache = this.byOwner.get(owner);
    if (cache === undefined) {
      cache = new BoundedCache(this.max);
      this.byOwner.set(owner, cache);
    }
    return cache;
  }

  /** Drop the owner's cache. */
  clear(owner: object): void {
    this.byOwner.delete(owner);
  }

  /** How many entries the owner's cache holds. */
  size(owner: object): number {
    return this.byOwner.get(owner)?.size ?? 0;
  }
}
