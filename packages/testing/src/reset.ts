/**
 * One statement (a PL/pgSQL `DO` block) that returns a database to a blank schema-level state:
 *
 * - drops the `drizzle` schema (drizzle-kit's migration journal) with everything in it;
 * - drops every table, partitioned table, view, materialized view, foreign table and standalone sequence
 *   in schema `public` (their indexes, constraints and owned sequences go with them);
 * - drops every enum, domain, range and standalone composite type in `public`;
 * - drops every function, procedure and aggregate in `public`.
 *
 * Objects that belong to an extension (`vector`'s types, operators and functions live in `public`)
 * are skipped, so the extension survives. Being a single statement it works through every driver,
 * including PGlite's extended-protocol `query()`.
 */
export const RESET_SQL = `DO $pgvector_testing_reset$
DECLARE
  item record;
BEGIN
  DROP SCHEMA IF EXISTS drizzle CASCADE;

  FOR item IN
    SELECT c.relname, c.relkind
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_depend d
        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    ORDER BY c.oid
  LOOP
    EXECUTE format(
      CASE item.relkind
        WHEN 'v' THEN 'DROP VIEW IF EXISTS public.%I CASCADE'
        WHEN 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS public.%I CASCADE'
        WHEN 'f' THEN 'DROP FOREIGN TABLE IF EXISTS public.%I CASCADE'
        WHEN 'S' THEN 'DROP SEQUENCE IF EXISTS public.%I CASCADE'
        ELSE 'DROP TABLE IF EXISTS public.%I CASCADE'
      END,
      item.relname
    );
  END LOOP;

  FOR item IN
    SELECT t.typname, t.typtype
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
    WHERE n.nspname = 'public'
      AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND c.relkind = 'c'))
      AND NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_depend d
        WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
      )
    ORDER BY t.oid
  LOOP
    EXECUTE format(
      CASE item.typtype
        WHEN 'd' THEN 'DROP DOMAIN IF EXISTS public.%I CASCADE'
        ELSE 'DROP TYPE IF EXISTS public.%I CASCADE'
      END,
      item.typname
    );
  END LOOP;

  FOR item IN
    SELECT p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid) AS args, p.prokind
    FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public'
      AND NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_depend d
        WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
      )
    ORDER BY p.oid
  LOOP
    EXECUTE format(
      CASE item.prokind
        WHEN 'a' THEN 'DROP AGGREGATE IF EXISTS public.%I(%s) CASCADE'
        WHEN 'p' THEN 'DROP PROCEDURE IF EXISTS public.%I(%s) CASCADE'
        ELSE 'DROP FUNCTION IF EXISTS public.%I(%s) CASCADE'
      END,
      item.proname,
      item.args
    );
  END LOOP;
END
$pgvector_testing_reset$`;
