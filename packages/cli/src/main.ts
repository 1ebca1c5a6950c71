import { Command, CommanderError, Option } from 'commander';
import { METRICS_LIST, VECTOR_TYPES_LIST } from 'drizzle-pgvector/catalog';
import { advise } from './commands/advise.js';
import { build, rebuild } from './commands/build.js';
import type { CommandResult } from './commands/command.js';
import { doctor } from './commands/doctor/doctor.js';
import { tune } from './commands/tune.js';
import { CliError, errorReport, EXIT, jsonSafe } from './errors.js';
import { integerArg, jsonNumber, numberArg } from './output/numbers.js';

/** Where the CLI writes (the process's streams; replaced in tests of the entry point). */
export interface CliStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const VERSION = '0.1.0';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function databaseOptions(command: Command): Command {
  return command
    .option('-c, --config <path>', 'drizzle-kit config file (default: drizzle.config.ts in the working directory)')
    .option('--url <url>', 'database URL (else the config\'s dbCredentials, else DATABASE_URL)')
    .option('--schema <path>', 'schema file or glob, repeatable (else the config\'s schema)', collect);
}

const memoryOption = (): Option => new Option('--maintenance-work-mem <size>', "maintenance_work_mem for the build: 'auto' (sized from the estimate) or a size such as 2GB");

/**
 * Run the CLI on `argv` (as `process.argv`: node, script, …args) and return the exit code. Every command prints
 * readable text, or with `--json` one JSON document `{ command, ok, exitCode, …data }` (`{ …, ok: false, error }`
 * on failure).
 */
export async function main(argv: readonly string[], streams: CliStreams = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }): Promise<number> {
  let exitCode: number = EXIT.ok;
  let json = argv.includes('--json');
  const COMMANDS = ['advise', 'build', 'rebuild', 'tune', 'doctor'];
  const commandName = argv.slice(2).find((a) => COMMANDS.includes(a)) ?? 'drizzle-pgvector';

  const emit = <D>(name: string, result: CommandResult<D>): void => {
    exitCode = result.exitCode;
    if (json) streams.stdout(`${JSON.stringify(jsonSafe({ command: name, ok: true, exitCode: result.exitCode, ...(result.document as object) }), (_key, v: unknown) => (typeof v === 'number' ? jsonNumber(v) : v), 2)}\n`);
    else streams.stdout(`${result.text()}\n`);
  };

  const program = new Command('drizzle-pgvector')
    .description('Choose, build, check and tune the pgvector indexes of a Drizzle schema.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: streams.stdout, writeErr: (t) => (json ? undefined : streams.stderr(t)) })
    .showHelpAfterError('(add --help for usage)');
  program.hook('preAction', (_program, action) => {
    json = Boolean(action.opts()['json']);
  });

  program
    .command('advise')
    .description('Which index, its parameters and the memory to build it, for a table shape (no database)')
    .requiredOption('--rows <n>', 'rows in the table (now or expected)', numberArg('--rows'))
    .requiredOption('--dims <n>', 'dimensions of the column', numberArg('--dims'))
    .addOption(new Option('--type <type>', 'column type').choices(VECTOR_TYPES_LIST).default('vector'))
    .addOption(new Option('--metric <metric>', 'distance your queries order by').choices(METRICS_LIST))
    .option('--recall <r>', 'recall target for the HNSW parameters, in (0, 1]', numberArg('--recall'))
    .option('--k <k>', 'rows per query (HNSW ef_search is raised to it)', numberArg('--k'))
    .option('--writes-per-day <n>', 'rows inserted or updated per day', numberArg('--writes-per-day'))
    .option('--memory-budget <size>', 'most maintenance_work_mem you can give a build, e.g. 8GB')
    .option('--index-size-budget <size>', 'most disk the finished index may take, e.g. 20GB')
    .option('--parallel-workers <n>', 'parallel workers for the HNSW build estimate', numberArg('--parallel-workers'))
    .option('--server-version <n>', 'PostgreSQL major or server_version_num (memory headers differ from 16)', numberArg('--server-version'))
    .option('--json', 'print one JSON document')
    .action(({ json: _json, ...opts }) => emit('advise', advise(opts)));

  databaseOptions(
    program
      .command('build')
      .description('Build an index declared in the schema (CREATE INDEX IF NOT EXISTS, as drizzle-kit emits it) with a progress bar; Ctrl-C cancels')
      .argument('<index>', 'index name as declared (hnswIndex(name) / ivfflatIndex(name))'),
  )
    .addOption(memoryOption())
    .option('--max-maintenance-work-mem <size>', "with 'auto': the most it may set (default 4GB)")
    .option('--parallel-workers <n>', 'max_parallel_maintenance_workers for the build', integerArg('--parallel-workers', 0, 1024))
    .option('--concurrently', 'CREATE INDEX CONCURRENTLY (writes continue; default: as declared)')
    .option('--replace', 'replace the live index by its changed declaration without downtime (replaceIndex: build CONCURRENTLY under a temporary name, drop the old one CONCURRENTLY, rename)')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print one JSON document')
    .action(async (index: string, opts) => emit('build', await build(index, opts)));

  databaseOptions(program.command('rebuild').description('Rebuild a vector index in place (REINDEX), same settings and progress as build').argument('<index>', 'index name in the database'))
    .addOption(memoryOption())
    .option('--max-maintenance-work-mem <size>', "with 'auto': the most it may set (default 4GB)")
    .option('--parallel-workers <n>', 'max_parallel_maintenance_workers for the build', integerArg('--parallel-workers', 0, 1024))
    .option('--concurrently', 'REINDEX INDEX CONCURRENTLY (writes continue)')
    .option('--db-schema <name>', 'PostgreSQL schema of the index (default: the search_path)')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print one JSON document')
    .action(async (index: string, opts) => emit('rebuild', await rebuild(index, opts)));

  databaseOptions(
    program
      .command('tune')
      .description('Smallest efSearch (HNSW) / probes (IVFFlat) whose recall reaches a target with 95 % confidence, checked on held-out queries')
      .argument('<table.column>', 'the vector column, e.g. items.embedding'),
  )
    .requiredOption('--recall <r>', 'target recall@k, in (0, 1], e.g. 0.95', numberArg('--recall'))
    .option('--k <k>', 'neighbours per query', numberArg('--k'), 10)
    .option('--sample <n>', 'rows sampled as queries, split in tuning and validation halves (default 200)', numberArg('--sample'))
    .option('--seed <n>', 'sampling seed (same seed, same queries)', numberArg('--seed'))
    .addOption(new Option('--metric <metric>', 'distance (default: the index\'s)').choices(METRICS_LIST))
    .option('--index <name>', 'the declared index to tune, when the column has more than one (e.g. HNSW and IVFFlat)')
    .option('--json', 'print one JSON document')
    .action(async (target: string, opts) => emit('tune', await tune(target, opts)));

  databaseOptions(program.command('doctor').description('pgvector version and settings, vector columns and indexes with health and drift, and what to change; exit 1 when something needs action'))
    .option('--exact-counts', 'count rows (count(*)) instead of the planner\'s estimate')
    .option('--json', 'print one JSON document')
    .action(async (opts) => emit('doctor', await doctor(opts)));

  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      const report = { code: 'INVALID_ARGUMENT', name: 'CliError', message: error.message.replace(/^error: /, ''), details: { commander: error.code } };
      if (json) streams.stdout(`${JSON.stringify({ command: commandName, ok: false, exitCode: EXIT.error, error: report }, null, 2)}\n`);
      return EXIT.error;
    }
    const report = errorReport(error);
    if (json) streams.stdout(`${JSON.stringify({ command: commandName, ok: false, exitCode: EXIT.error, error: report }, null, 2)}\n`);
    else {
      streams.stderr(`error ${report.code}: ${report.message}\n`);
      if (report.code === 'INTERNAL_ERROR' && error instanceof Error && error.stack) streams.stderr(`${error.stack}\n`);
    }
    return EXIT.error;
  }
}

export { CliError };
