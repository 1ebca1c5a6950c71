import { is } from 'drizzle-orm';

type EntityClass = Parameters<typeof is>[1];

/**
 * @internal drizzle-orm's `is(value, type)` for any value a user can pass. drizzle-orm's reads
 * `Object.getPrototypeOf(value).constructor`, which throws a TypeError on an object without a prototype — an ES
 * module namespace (`import * as schema from './schema'`), `Object.create(null)`; such an object is no Drizzle
 * entity, so this answers false. Every check of user input against a Drizzle class goes through here.
 */
export function isEntity<T extends EntityClass>(value: unknown, type: T): value is InstanceType<T> {
  if (value === null || typeof value !== 'object') return false;
  if (Object.getPrototypeOf(value) === null) return false;
  return is(value, type);
}
