/**
 * The `drizzle-pgvector` CLI end to end, as a subprocess: exit codes, `--json` documents, and bad input that
 * changes nothing. Runs on a PGlite data folder (through a drizzle.config.ts with `driver: 'pglite'`) and, when
 * DATABASE_URL is set, on that server (through `--url` and `--schema`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CLI_ROOT, fixtureSql, pgliteFolder, runCli, scratchProject, SCHEMA, serverDatabase, type CliDatabase } from './helpers/cli.js';

const ITEMS_SCHEMA = join(CLI_ROOT, 'test', 'fixtures', 'items-schema.ts');
const TWO_INDEX_SCHEMA = join(CLI_ROOT, 'test', 'fixtures', 'two-index-schema.ts');

const backends: { name: string; open: () => Promise<CliDatabase> }[] = [{ name: 'pglite data folder (drizzle.config.ts)', open: pgliteFolder }];
const url = process.env['DATABASE_URL'];
if (url) backends.push({ name: 'server (--url, --schema)', open: () => serverDatabase(url) });

const indexesOf = (db: CliDatabase): Promise<{ indexname: string }[]> =>
  db.query<{ indexname: string }>(`select indexname from pg_indexes where schemaname = 'cli_e2e' order by 1`);

for (const backend of backends) {
  describe(`drizzle-pgvector on a ${backend.name}`, () => {
    let db: CliDatabase;
    let project: ReturnType<typeof scratchProject>;
    let args: string[];

    beforeAll(async () => {
      db = await backend.open();
      await db.exec(fixtureSql(2000));
      if (db.kind === 'pglite') {
        project = scratchProject({ schema: SCHEMA, ...db.config });
        args = [];
      } else {
        project = scratchProject({});
        args = ['--url', url!, '--schema', SCHEMA];
      }
    });
    afterAll(async () => {
      if (db?.kind === 'url') await db.exec('drop schema if exists cli_e2e cascade');
      await db?.close();
      project?.remove();
    });
    const cli = (...a: string[]) => runCli([...a, ...args], { cwd: project.dir });
    /** With another schema file (`--schema` replaces the config's). */
    const cliSchema = (schema: string, ...a: string[]) => runCli([...a, ...(db.kind === 'url' ? ['--url', url!] : []), '--schema', schema], { cwd: project.dir });

    it('build of an index the schema does not declare: UNKNOWN_INDEX, exit 2, nothing built', async () => {
      const run = await cli('build', 'items_embedding_nope', '--json');
      expect(run.code).toBe(2);
      expect(run.json).toMatchObject({ command: 'build', ok: false, exitCode: 2, error: { code: 'UNKNOWN_INDEX', details: { declared: ['items_embedding_hnsw', 'notes_embedding_ivf'] } } });
      expect(await indexesOf(db)).toEqual([{ indexname: 'docs_pkey' }, { indexname: 'items_pkey' }, { indexname: 'notes_pkey' }, { indexname: 'users_pkey' }]);
    });

    it('doctor before the indexes are built: both declared indexes missing (drift with their SQL), the mixed-dimension column; exit 1', async () => {
      const run = await cli('doctor', '--json');
      expect(run.code, run.stderr).toBe(1);
      const doc = run.json as { findings: { severity: string; kind: string; subject: string; sql: string[]; schemaLine?: string }[]; summary: { action: number }; drift: { kind: string; index: string }[] };
      expect(doc.drift.map((d) => [d.kind, d.index]).sort()).toEqual([['missing', 'items_embedding_hnsw'], ['missing', 'notes_embedding_ivf']]);
      expect(doc.summary.action).toBe(2);
      expect(doc.findings.find((f) => f.subject === 'items_embedding_hnsw')).toMatchObject({
        severity: 'action',
        kind: 'drift-missing',
        sql: ['CREATE INDEX "items_embedding_hnsw" ON "cli_e2e"."items" USING hnsw ("embedding" vector_cosine_ops);'],
      });
      const mixed = doc.findings.find((f) => f.kind === 'mixed-dimensions');
      expect(mixed).toMatchObject({ severity: 'warning', subject: 'docs.embedding' });
      expect(mixed!.schemaLine).toBe("hnswIndex('docs_embedding_3').on(asVector(t.embedding, 3), 'cosine'),\nhnswIndex('docs_embedding_4').on(asVector(t.embedding, 4), 'cosine')");
      const text = await cli('doctor');
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('Findings: 2 need action, 1 warnings');
      expect(text.stdout).toContain('✘ action [drift-missing] notes_embedding_ivf');
      expect(text.stdout).toContain('not fixed: 3 (20 rows), 4 (10 rows)');
    });

    it('build: the declared HNSW index, with progress to the end; again: already exists', async () => {
      const run = await cli('build', 'items_embedding_hnsw', '--json');
      expect(run.code, run.stderr).toBe(0);
      expect(run.json).toMatchObject({
        command: 'build',
        ok: true,
        exitCode: 0,
        index: 'items_embedding_hnsw',
        table: 'cli_e2e.items',
        result: { status: 'built', sql: 'CREATE INDEX IF NOT EXISTS "items_embedding_hnsw" ON "cli_e2e"."items" USING hnsw ("embedding" vector_cosine_ops);' },
        lastProgress: { phase: 'done', fraction: 1 },
      });
      expect((await indexesOf(db)).map((r) => r.indexname)).toContain('items_embedding_hnsw');
      const again = await cli('build', 'items_embedding_hnsw');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('items_embedding_hnsw already exists and is valid: nothing to do.');
    });

    it("build --maintenance-work-mem auto sizes the IVFFlat build from the estimate; rebuild reindexes it", async () => {
      const run = await cli('build', 'notes_embedding_ivf', '--maintenance-work-mem', 'auto', '--json');
      expect(run.code, run.stderr).toBe(0);
      const result = (run.json as { result: { status: string; maintenanceWorkMem: string; estimate: { method: string; bytes: number } } }).result;
      expect(result.status).toBe('built');
      expect(result.estimate.method).toBe('ivfflat');
      expect(result.maintenanceWorkMem).toMatch(/^\d+(kB|MB)$/);
      const rebuilt = await cli('rebuild', 'notes_embedding_ivf', '--json');
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      expect(rebuilt.json).toMatchObject({ command: 'rebuild', ok: true, result: { name: 'notes_embedding_ivf', wasValid: true } });
      expect((rebuilt.json as { result: { sql: string } }).result.sql).toMatch(/^REINDEX INDEX "cli_e2e"\."notes_embedding_ivf"/);
    });

    it('build --replace: the declared index built CONCURRENTLY under a temporary name and swapped in', async () => {
      const run = await cli('build', 'items_embedding_hnsw', '--replace', '--json');
      expect(run.code, run.stderr).toBe(0);
      expect(run.json).toMatchObject({ command: 'build', ok: true, result: { name: 'items_embedding_hnsw', temporary: 'items_embedding_hnsw_pgv_new', status: 'replaced' } });
      expect((run.json as { result: { statements: string[] } }).result.statements).toEqual([
        'CREATE INDEX CONCURRENTLY "items_embedding_hnsw_pgv_new" ON "cli_e2e"."items" USING hnsw ("embedding" vector_cosine_ops)',
        'DROP INDEX CONCURRENTLY IF EXISTS "cli_e2e"."items_embedding_hnsw"',
        'ALTER INDEX "cli_e2e"."items_embedding_hnsw_pgv_new" RENAME TO "items_embedding_hnsw"',
      ]);
      expect((await indexesOf(db)).map((r) => r.indexname)).not.toContain('items_embedding_hnsw_pgv_new');
      const text = await cli('build', 'items_embedding_hnsw', '--replace', '--concurrently');
      expect(text.code).toBe(2);
      expect(text.stderr + text.stdout).toContain('always builds CONCURRENTLY');
    });

    it('rebuild of an index that does not exist: UNKNOWN_INDEX, exit 2', async () => {
      const run = await cli('rebuild', 'no_such_index', '--json');
      expect(run.code).toBe(2);
      expect(run.json).toMatchObject({ ok: false, error: { code: 'UNKNOWN_INDEX' } });
    });

    it('tune: the smallest efSearch reaching the target on held-out queries, exit 0, the setting to put in code', async () => {
      const run = await cli('tune', 'cli_e2e.items.embedding', '--recall', '0.9', '--k', '5', '--sample', '60', '--json');
      expect(run.code, run.stderr).toBe(0);
      const doc = run.json as { result: { met: boolean; setting: string; value: number; validationRecall: number; curve: { value: number; lowerBound: number }[]; tuningQueries: number }; code: string };
      expect(doc.result).toMatchObject({ met: true, setting: 'efSearch', tuningQueries: 30 });
      expect(doc.result.validationRecall).toBeGreaterThanOrEqual(0.9);
      expect(doc.result.curve.find((p) => p.value === doc.result.value)!.lowerBound).toBeGreaterThanOrEqual(0.9);
      expect(doc.code).toBe(`nearest(db, items.embedding, query, { k: 5, metric: 'cosine', settings: { efSearch: ${doc.result.value} } })`);
      const text = await cli('tune', 'cli_e2e.items.embedding', '--recall', '0.9', '--k', '5', '--sample', '60');
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/│ efSearch │ recall@5 \(tuning\) │ lower bound │/);
      // numbers are formatted once: no float noise like 0.9630000000000003 in the document or the table
      expect(run.stdout).not.toMatch(/\d\.\d{7,}/);
      expect(text.stdout).not.toMatch(/\d\.\d{4,}/);
      expect(text.stdout).toContain(`settings: { efSearch: ${doc.result.value} }`);
    });

    it('tune --recall 1.5: INVALID_TUNING_OPTION, exit 2; an unknown column: UNKNOWN_TARGET', async () => {
      const run = await cli('tune', 'cli_e2e.items.embedding', '--recall', '1.5', '--json');
      expect(run.code).toBe(2);
      expect(run.json).toMatchObject({ command: 'tune', ok: false, error: { code: 'INVALID_TUNING_OPTION' } });
      const message = (run.json as { error: { message: string } }).error.message;
      expect(message).toContain('1.5');
      expect(message).toContain('--recall must be a number in (0, 1]');
      expect(message).toContain('Pass e.g. --recall 0.95');
      expect(message).not.toContain('targetRecall');
      expect(run.json).toMatchObject({ error: { details: { option: 'targetRecall', flag: '--recall' } } });
      const column = await cli('tune', 'cli_e2e.items.nope', '--recall', '0.9', '--json');
      expect(column.code).toBe(2);
      expect(column.json).toMatchObject({ error: { code: 'UNKNOWN_TARGET', details: { columns: ['id', 'title', 'embedding'] } } });
    });

    it('tune on a column with three vector indexes: errors name the CLI flags; --index tunes one, and the printed code carries the metric', async () => {
      await db.exec(`create index items_embedding_ivf on cli_e2e.items using ivfflat (embedding vector_cosine_ops) with (lists = 4);
        create index items_embedding_l2 on cli_e2e.items using hnsw (embedding vector_l2_ops);`);
      try {
        const tune = (...a: string[]) => cliSchema(TWO_INDEX_SCHEMA, 'tune', 'cli_e2e.items.embedding', '--recall', '0.9', '--k', '5', '--sample', '60', ...a);
        const errorOf = (r: { json: Record<string, unknown> | undefined }) => (r.json as { error: { code: string; message: string; details: Record<string, unknown> } }).error;
        const ambiguous = await tune('--json');
        expect(ambiguous.code).toBe(2);
        expect(errorOf(ambiguous).code).toBe('METRIC_REQUIRED');
        expect(errorOf(ambiguous).message).toContain('Pass --metric cosine|l2 to pick one');
        expect(errorOf(ambiguous).message).not.toContain('{ metric');
        const both = await tune('--metric', 'cosine', '--json');
        expect(errorOf(both).code).toBe('NO_TUNABLE_INDEX');
        expect(errorOf(both).message).toContain('Pass --index items_embedding_hnsw or items_embedding_ivf to tune that one');
        const typo = await tune('--index', 'items_embedding_hsnw', '--json');
        expect(errorOf(typo).code).toBe('UNKNOWN_INDEX');
        expect(errorOf(typo).details['declared']).toEqual([
          { name: 'items_embedding_hnsw', method: 'hnsw', metric: 'cosine' },
          { name: 'items_embedding_ivf', method: 'ivfflat', metric: 'cosine' },
          { name: 'items_embedding_l2', method: 'hnsw', metric: 'l2' },
        ]);
        const run = await tune('--index', 'items_embedding_hnsw', '--json');
        expect(run.code, run.stderr).toBe(0);
        const doc = run.json as { result: { index: string; metric: string; value: number; usedIndexes: string[]; settings: Record<string, number> }; code: string };
        expect(doc.result).toMatchObject({ index: 'items_embedding_hnsw', metric: 'cosine', usedIndexes: ['items_embedding_hnsw'] });
        expect(doc.result.settings).toEqual({ efSearch: doc.result.value, probes: 4 });
        expect(doc.code).toBe(`nearest(db, items.embedding, query, { k: 5, metric: 'cosine', settings: { efSearch: ${doc.result.value}, probes: 4 } })`);
        const text = await tune('--index', 'items_embedding_hnsw');
        expect(text.code, text.stderr).toBe(0);
        expect(text.stdout).toMatch(/note: .*embedding" has 2 vector indexes for 'cosine'; \{ probes: 4 \} makes the planner's estimate for "items_embedding_ivf" its highest/);
        expect(text.stdout).toContain(`SET LOCAL hnsw.ef_search = ${doc.result.value}; SET LOCAL ivfflat.probes = 4`);
      } finally {
        await db.exec('drop index cli_e2e.items_embedding_ivf; drop index cli_e2e.items_embedding_l2;');
      }
    }, 300_000);

    it('doctor after the builds: no drift; the IVFFlat index on 2000 rows is too small to train well — a warning (REINDEX once the data is there), as the library says: exit 0', async () => {
      const run = await cli('doctor', '--json');
      expect(run.code, run.stdout).toBe(0);
      const doc = run.json as {
        server: { extension: { installed: string } };
        settings: { name: string; value: string }[];
        columns: { table: string; column: string; dimensions: number | null; rows: number; indexes: string[] }[];
        indexes: { name: string; valid: boolean; needsRebuild: boolean; health: string; problems: { kind: string; severity: string; message: string; sql: string[] }[] }[];
        drift: unknown[];
        findings: { severity: string; kind: string; subject: string; sql: string[] }[];
        summary: { action: number };
      };
      expect(doc.server.extension.installed).toMatch(/^0\.\d+\.\d+$/);
      expect(doc.settings.find((s) => s.name === 'hnsw.ef_search')?.value).toBe('40');
      expect(doc.settings.find((s) => s.name === 'maintenance_work_mem')?.value).toMatch(/B$/);
      expect(doc.columns.find((c) => c.table === 'items')).toMatchObject({ column: 'embedding', dimensions: 16, rows: 2000, indexes: ['items_embedding_hnsw'] });
      expect(doc.drift).toEqual([]);
      expect(doc.indexes.map((i) => [i.name, i.valid, i.needsRebuild])).toEqual([
        ['items_embedding_hnsw', true, false],
        ['notes_embedding_ivf', true, false],
      ]);
      expect(doc.findings.filter((f) => f.severity === 'action')).toEqual([]);
      // One source of truth: the finding is the library's problem — its severity, message and SQL.
      const ivf = doc.indexes.find((i) => i.name === 'notes_embedding_ivf')!;
      expect(ivf.health).toBe('warning');
      const problem = ivf.problems[0]!;
      expect(problem).toMatchObject({ kind: 'too-few-rows', severity: 'warning', sql: ['REINDEX INDEX CONCURRENTLY "cli_e2e"."notes_embedding_ivf";'] });
      expect(doc.findings.find((f) => f.kind === 'too-few-rows')).toEqual({ severity: 'warning', kind: 'too-few-rows', subject: 'notes_embedding_ivf', message: problem.message, sql: problem.sql });
      // The text report says the same in the health column and the findings.
      const text = await cli('doctor');
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/notes_embedding_ivf .*│ warning \(too-few-rows; advised lists 2, probes 1\)/);
      expect(text.stdout).toContain('! warning [too-few-rows] notes_embedding_ivf: "cli_e2e"."notes_embedding_ivf" is an IVFFlat index on 2000 rows.');
      expect(text.stdout).not.toContain('✘ action');
    });

    it('doctor --schema <items only>: nothing needs action, exit 0; an undeclared index is drift (DROP or the schema line), exit 1', async () => {
      const run = await cliSchema(ITEMS_SCHEMA, 'doctor', '--json');
      expect(run.code, run.stdout).toBe(0);
      expect(run.json).toMatchObject({ schemaTables: ['cli_e2e.docs', 'cli_e2e.items'], summary: { action: 0, warning: 1 }, drift: [] });
      await db.exec('create index items_extra_l2 on cli_e2e.items using hnsw (embedding vector_l2_ops)');
      try {
        const drifted = await cliSchema(ITEMS_SCHEMA, 'doctor', '--json');
        expect(drifted.code).toBe(1);
        const f = (drifted.json as { findings: { kind: string; subject: string; sql: string[]; schemaLine?: string }[] }).findings.find((x) => x.kind === 'drift-undeclared');
        expect(f).toMatchObject({ subject: 'items_extra_l2' });
        expect(f!.sql.join(' ')).toMatch(/DROP INDEX .*"items_extra_l2"/);
        expect(f!.schemaLine).toMatch(/hnswIndex\('items_extra_l2'\)\.on\(t\.embedding, 'l2'\)/);
      } finally {
        await db.exec('drop index cli_e2e.items_extra_l2');
      }
    });
  });
}

describe('drizzle-pgvector without a database', () => {
  it('advise --json: chooseIndex, the parameters of both methods and their build memory', async () => {
    const run = await runCli(['advise', '--rows', '1000000', '--dims', '1536', '--json']);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({
      command: 'advise',
      ok: true,
      exitCode: 0,
      input: { rows: 1_000_000, dims: 1536, type: 'vector' },
      choice: { method: 'hnsw', target: 'column' },
      ivfflat: { lists: 1000, probes: 32 },
      hnsw: { m: 16, efConstruction: 64, efSearch: 40 },
      memory: { ivfflat: { maintenanceWorkMem: '506MB', reportedMB: 506 }, hnsw: { method: 'hnsw' } },
    });
  });

  it('advise for 3072 dimensions indexes asHalfvec; sparsevec has no IVFFlat', async () => {
    const half = await runCli(['advise', '--rows', '50000', '--dims', '3072', '--json']);
    expect(half.json).toMatchObject({ choice: { target: 'asHalfvec', indexedType: 'halfvec' }, memory: { hnsw: { method: 'hnsw' } } });
    const sparse = await runCli(['advise', '--rows', '50000', '--dims', '30000', '--type', 'sparsevec', '--json']);
    expect(sparse.code).toBe(0);
    expect(sparse.json).toMatchObject({ choice: { method: 'hnsw' } });
    expect((sparse.json as { ivfflat?: unknown }).ivfflat).toBeUndefined();
  });

  it('advise over a budget: binary quantization + re-rank, the trade-off table and the re-rank call', async () => {
    const json = await runCli(['advise', '--rows', '1000000', '--dims', '1536', '--metric', 'cosine', '--memory-budget', '2GB', '--json']);
    expect(json.code).toBe(0);
    expect(json.json).toMatchObject({ choice: { method: 'hnsw', target: 'binaryQuantize', indexedType: 'bit', rerank: true } });
    const alternatives = (json.json as { choice: { alternatives: { target: string; withinBudget: boolean }[] } }).choice.alternatives;
    expect(alternatives.slice(0, 3).map((a) => [a.target, a.withinBudget])).toEqual([['column', false], ['asHalfvec', false], ['binaryQuantize', true]]);
    const text = await runCli(['advise', '--rows', '1000000', '--dims', '1536', '--metric', 'cosine', '--index-size-budget', '1GB']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Trade-off: what each representation costs/);
    expect(text.stdout).toMatch(/HNSW +│ column vector\(1536\) +│ 6603MB +│ 7813MB +│ direct +│ no/);
    expect(text.stdout).toMatch(/HNSW +│ binaryQuantize\(column, 1536\) → bit +│ 927MB +│ 479MB +│ hamming \+ re-rank +│ yes/);
    expect(text.stdout).toMatch(/\[index-size-budget\] .*Index binaryQuantize\(column, 1536\)/);
    expect(text.stdout).toContain("hnswIndex('items_embedding_hnsw').on(binaryQuantize(t.embedding, 1536), 'hamming')");
    expect(text.stdout).toContain("nearest(db, items.embedding, query, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding, 1536) }");
    const bad = await runCli(['advise', '--rows', '1', '--dims', '3', '--index-size-budget', 'huge', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json).toMatchObject({ error: { code: 'INVALID_MEMORY_SIZE' } });
  }, 240_000);

  it('advise text: the parameters table and the schema line', async () => {
    const run = await runCli(['advise', '--rows', '2000000', '--dims', '768', '--metric', 'l2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('lists = 1414');
    expect(run.stdout).toContain("hnswIndex('items_embedding_hnsw').on(t.embedding, 'l2').with({ m: 16, efConstruction: 64 })");
  });

  it('bad advise input: the library code (rows -5, --recall 1.5), a non-number, a missing flag, an unknown type — exit 2', async () => {
    const negative = await runCli(['advise', '--rows', '-5', '--dims', '3', '--json']);
    expect(negative.code).toBe(2);
    expect(negative.json).toMatchObject({ command: 'advise', ok: false, error: { code: 'INVALID_ADVICE_INPUT', name: 'PgVectorError' } });
    const recall = await runCli(['advise', '--rows', '5000', '--dims', '3', '--recall', '1.5', '--json']);
    expect(recall.json).toMatchObject({ error: { code: 'INVALID_ADVICE_INPUT' } });
    const word = await runCli(['advise', '--rows', 'many', '--dims', '3', '--json']);
    expect(word.json).toMatchObject({ error: { code: 'INVALID_ARGUMENT', details: { flag: '--rows', value: 'many' } } });
    const missing = await runCli(['advise', '--dims', '3']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--rows <n>' not specified");
    const type = await runCli(['advise', '--rows', '1', '--dims', '3', '--type', 'float8', '--json']);
    expect(type.code).toBe(2);
    expect(type.json).toMatchObject({ command: 'advise', error: { code: 'INVALID_ARGUMENT' } });
  });

  it('a --url that refuses: CONNECTION_FAILED with the driver code, exit 2', async () => {
    const project = scratchProject({ schema: SCHEMA });
    try {
      const run = await runCli(['doctor', '--url', 'postgres://postgres@127.0.0.1:1/nothing', '--json'], { cwd: project.dir });
      expect(run.code).toBe(2);
      expect(run.json).toMatchObject({ command: 'doctor', ok: false, exitCode: 2, error: { code: 'CONNECTION_FAILED', details: { driverCode: 'ECONNREFUSED', source: '--url' } } });
      const text = await runCli(['build', 'items_embedding_hnsw', '--url', 'postgres://postgres@127.0.0.1:1/nothing'], { cwd: project.dir });
      expect(text.code).toBe(2);
      expect(text.stderr).toMatch(/^error CONNECTION_FAILED: Cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/nothing \(--url\): .*\[ECONNREFUSED\]/);
    } finally {
      project.remove();
    }
  });

  it('no schema, a schema glob matching nothing, a missing --config, no database: their codes, exit 2', async () => {
    const project = scratchProject({});
    try {
      const noSchema = await runCli(['build', 'x', '--url', 'postgres://127.0.0.1:1/x', '--json'], { cwd: project.dir });
      expect(noSchema.json).toMatchObject({ error: { code: 'SCHEMA_NOT_FOUND' } });
      const glob = await runCli(['tune', 'a.b', '--recall', '0.9', '--schema', './src/**/*.schema.ts', '--json'], { cwd: project.dir });
      expect(glob.json).toMatchObject({ error: { code: 'SCHEMA_NOT_FOUND', details: { schema: ['./src/**/*.schema.ts'] } } });
      const config = await runCli(['doctor', '--config', 'nope.config.ts', '--json'], { cwd: project.dir });
      expect(config.json).toMatchObject({ error: { code: 'CONFIG_NOT_FOUND' } });
      const noDb = await runCli(['doctor', '--json'], { cwd: project.dir, env: { DATABASE_URL: '' } });
      expect(noDb.code).toBe(2);
      expect(noDb.json).toMatchObject({ error: { code: 'NO_DATABASE' } });
    } finally {
      project.remove();
    }
  });

  it('--help and --version exit 0; an unknown command exits 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['advise', 'build', 'rebuild', 'tune', 'doctor']) expect(help.stdout).toContain(command);
    expect((await runCli(['--version'])).stdout.trim()).toBe('0.1.0');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });
});
