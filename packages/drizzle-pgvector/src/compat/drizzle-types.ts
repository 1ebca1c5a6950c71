import type * as pgCore from 'drizzle-orm/pg-core';
import type { PgColumnBuilder, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * Type-level twin of `drizzle-line.ts`: the Drizzle types whose names or generic parameters differ between
 * drizzle-orm 0.45 and 1.0, written so our published declarations type-check against either line with
 * `skipLibCheck: false`. Nothing here names a type that only one line exports: each line's classes are reached
 * through `typeof import('drizzle-orm/pg-core')` (a missing export is then a missing key, not an error) and
 * instantiated with instantiation expressions on declared constants.
 *
 * | | 0.45.x | 1.0 (rc.5) |
 * | --- | --- | --- |
 * | database class | `PgDatabase<THKT, TFullSchema, TSchema>` | `PgAsyncDatabase<THKT, TRelations>` |
 * | column builder config (`PgColumnBuilder<T>`) | `ColumnBuilderBaseConfig<TDataType, TColumnType>` | `PgColumnBuilderConfig` |
 */

type PgCore = typeof pgCore;

/** `true` when the installed drizzle-orm's types are the 1.0 line's (its pg-core exports `PgAsyncTransaction`). */
export type IsDrizzle1 = 'PgAsyncTransaction' extends keyof PgCore ? true : false;

type InstanceOf<C> = C extends abstract new (...args: any) => infer I ? I : never;
/** Stands in for a class the installed line does not have (never instantiated into a used type). */
type Absent = abstract new <_A = any, _B = any, _C = any>(...args: any[]) => never;

declare const _pgDatabase045: PgCore extends { PgDatabase: infer C } ? C : Absent;
declare const _pgAsyncDatabase1: PgCore extends { PgAsyncDatabase: infer C } ? C : Absent;

/** Any Drizzle PostgreSQL database or transaction: 0.45's `PgDatabase<any, any, any>`, 1.0's `PgAsyncDatabase<any, any>`. */
export type AnyPgDatabase = IsDrizzle1 extends true ? InstanceOf<typeof _pgAsyncDatabase1<any, any>> : InstanceOf<typeof _pgDatabase045<any, any, any>>;

/**
 * A database of any driver with this schema: 0.45's `PgDatabase<PgQueryResultHKT, TSchema>` (1.0: `PgAsyncDatabase<PgQueryResultHKT, any>`;
 * 1.0 types relational queries by `relations`, not by the schema).
 */
export type PgDatabaseWithSchema<TQueryResult extends PgQueryResultHKT, TSchema extends Record<string, unknown>> = IsDrizzle1 extends true
  ? InstanceOf<typeof _pgAsyncDatabase1<TQueryResult, any>>
  : InstanceOf<typeof _pgDatabase045<TQueryResult, TSchema>>;

/** The config `PgColumnBuilder<T>` takes on this line (its default, which is its constraint on both lines). */
export type ColumnBuilderConfigBase = PgColumnBuilder extends PgColumnBuilder<infer C, any> ? C : never;
