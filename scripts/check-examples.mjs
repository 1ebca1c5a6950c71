// Checked examples: every ```ts block of the README, docs/*.md and the npm READMEs compiles against the workspace
// packages (their `@drizzle-pgvector/source` condition, as the tests do), and the blocks marked `run` run on PGlite.
//
//   node scripts/check-examples.mjs [--keep] [file.md …]
//
// A block is compiled as its own ES module, exactly as written, unless the line before its fence says otherwise:
//   <!-- example: prelude=app -->            a fragment: the names it uses but does not declare or import (db, items,
//                                            q, eq, sql, the library's exports …) are imported from the prelude
//                                            test/doc-examples/app.ts (type-check only: node-postgres, never connected)
//   <!-- example: prelude=pglite run -->     …from test/doc-examples/pglite.ts (an embedded database with the same
//                                            tables, 3 dimensions, seeded), and the block is run there
//   <!-- example: run -->                    a block that needs nothing: compiled and run as is
//   <!-- example: no-check <reason> -->      not TypeScript (a result shape, a declaration excerpt): counted, not compiled
//   <!-- example: … drizzle=0.45 -->         (with the others) only on that drizzle-orm line (0.45 or 1): an example of
//                                            what differs, e.g. `drizzle({ client, schema })` (1.0 takes `relations`)
//   <!-- quickstart:file <path> -->          the README quickstart's files: compiled together at their paths (they are
//                                            run by scripts/quickstart-check.mjs)
// On drizzle-orm 1.0: `node compat/drizzle-1/run.mjs --script=scripts/check-examples.mjs`.
// Runnable blocks run one after another in one process (`tsx`, the source condition), sharing the prelude's database.
// A block's own output is not shown. Ends with one line "check-examples (drizzle-orm V): N blocks in F files: C compiled
// (…), R run, M marked no-check, O for the other drizzle-orm line — all passed in S s"; exits 1 on any error.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const PRELUDES = join(root, 'test/doc-examples');
// Under test/ so the workspace packages resolve through test/node_modules; a dot folder, removed after the run.
const work = join(root, 'test/.doc-examples');

function markdownFiles() {
  const given = args.filter((a) => !a.startsWith('--'));
  if (given.length > 0) return given;
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  const npm = readdirSync(join(root, 'packages')).map((p) => `packages/${p}/README.md`);
  return ['README.md', ...docs.sort(), ...npm.sort()];
}

/** The ```ts / ```typescript blocks of a Markdown file with the marker before each. */
function blocksOf(file) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\w*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end].trim() === fence)) end++;
    if (['ts', 'typescript'].includes(lang)) {
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      let before = i - 1;
      while (before >= 0 && lines[before].trim() === '') before--;
      blocks.push({ file, line: i + 1, body: body.join('\n'), marker: parseMarker(lines[before] ?? '', file, i + 1) });
    }
    i = end;
  }
  return blocks;
}

function parseMarker(line, file, at) {
  const quickstart = /^<!--\s*quickstart:file\s+(\S+)\s*-->\s*$/.exec(line.trim());
  if (quickstart) return { quickstart: quickstart[1] };
  const m = /^<!--\s*example:\s*(.*?)\s*-->\s*$/.exec(line.trim());
  if (!m) return {};
  const noCheck = /^no-check\s+(\S.*)$/.exec(m[1]);
  if (noCheck) return { noCheck: noCheck[1] };
  if (/^no-check\b/.test(m[1])) throw new Error(`${file}:${at}: no-check needs a reason: <!-- example: no-check <why this block is not TypeScript> -->`);
  const marker = {};
  for (const word of m[1].split(/\s+/)) {
    if (word === 'run') marker.run = true;
    else if (word.startsWith('prelude=')) marker.prelude = word.slice('prelude='.length);
    else if (word === 'drizzle=0.45' || word === 'drizzle=1') marker.drizzle = word.slice('drizzle='.length);
    else throw new Error(`${file}:${at}: unknown example directive "${word}" (prelude=NAME, run, drizzle=0.45|1, no-check <reason>)`);
  }
  return marker;
}

const options = (() => {
  const config = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile).config;
  const { options: parsed, errors } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, formatHost));
  return { ...parsed, noEmit: true, declaration: false, sourceMap: false, allowImportingTsExtensions: true };
})();
const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
/** One compiler host for both programs: each declaration file is parsed once. */
const host = (() => {
  const base = ts.createCompilerHost(options);
  const parsed = new Map();
  return {
    ...base,
    getSourceFile(fileName, languageVersion, onError, shouldCreate) {
      if (fileName.startsWith(work)) return base.getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (!parsed.has(fileName)) parsed.set(fileName, base.getSourceFile(fileName, languageVersion, onError, shouldCreate));
      return parsed.get(fileName);
    },
  };
})();

/** Names a prelude exports: value or type only. */
function preludeExports(names) {
  const files = names.map((n) => join(PRELUDES, `${n}.ts`));
  const program = ts.createProgram(files, options, host);
  const checker = program.getTypeChecker();
  const exports = new Map();
  for (const [i, name] of names.entries()) {
    const source = program.getSourceFile(files[i]);
    if (!source) throw new Error(`prelude ${name}: no file ${relative(root, files[i])}`);
    const symbol = checker.getSymbolAtLocation(source);
    const map = new Map();
    for (const e of checker.getExportsOfModule(symbol)) {
      const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
      map.set(e.name, (target.flags & ts.SymbolFlags.Value) !== 0);
    }
    exports.set(name, map);
  }
  return { exports, program };
}

function startRunner(preludes) {
  const child = spawn(process.execPath, ['--conditions=@drizzle-pgvector/source', '--import', 'tsx', join(PRELUDES, 'run.ts'), ...preludes], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, PGVECTOR_TEST_BACKEND: process.env['PGVECTOR_TEST_BACKEND'] ?? 'pglite' },
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const done = new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout })));
  return { child, done };
}

/** Top-level names a block declares or imports, and every identifier it mentions. */
function namesOf(body) {
  const source = ts.createSourceFile('block.ts', body, ts.ScriptTarget.ES2022, true);
  const declared = new Set();
  const bind = (name) => {
    if (ts.isIdentifier(name)) declared.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  for (const s of source.statements) {
    if (ts.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      if (c.name) declared.add(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) declared.add(c.namedBindings.name.text);
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) for (const el of c.namedBindings.elements) declared.add(el.name.text);
    } else if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bind(d.name);
    else if (s.name && ts.isIdentifier(s.name)) declared.add(s.name.text);
  }
  const used = new Set();
  const visit = (node) => {
    if (ts.isIdentifier(node)) used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { declared, used };
}

/** The drizzle-orm line the examples resolve (the one test/ sees). */
const drizzleVersion = JSON.parse(readFileSync(join(root, 'test/node_modules/drizzle-orm/package.json'), 'utf8')).version;
const drizzleLine = drizzleVersion.startsWith('0.') ? '0.45' : '1';

const files = markdownFiles();
const blocks = files.flatMap(blocksOf);
const otherLine = blocks.filter((b) => b.marker.drizzle && b.marker.drizzle !== drizzleLine);
const compiled = blocks.filter((b) => !b.marker.noCheck && !otherLine.includes(b));
const preludeNames = [...new Set(compiled.map((b) => b.marker.prelude).filter(Boolean))];
// The runner starts now, in a second process: it loads the preludes the runnable blocks use (PGlite) while this one
// compiles, then runs the blocks once they are written (test/doc-examples/run.ts). Its lines come after the compile's.
const runner = compiled.some((b) => b.marker.run) ? startRunner([...new Set(compiled.filter((b) => b.marker.run).map((b) => b.marker.prelude).filter(Boolean))]) : undefined;
const { exports, program: preludeProgram } = preludeExports(preludeNames);

rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'blocks'), { recursive: true });
mkdirSync(join(work, 'src'), { recursive: true });
// A fragment's `import * as schema from './schema.js'` (or '../src/schema.js' in a test file): the prelude's tables.
const schemaStub = "export { articles, docs, documents, items } from '../../doc-examples/app.js';\n";
writeFileSync(join(work, 'blocks/schema.ts'), schemaStub);
writeFileSync(join(work, 'src/schema.ts'), schemaStub);
const generated = new Map(); // path → { block, header lines }
for (const block of compiled) {
  let path;
  let header = [];
  if (block.marker.quickstart) path = join(work, 'quickstart', block.marker.quickstart);
  else {
    const slug = block.file.replace(/[/.]/g, '_');
    path = join(work, 'blocks', `${slug}_L${block.line}.ts`);
    header = [`// ${block.file}:${block.line}`];
    const prelude = block.marker.prelude;
    if (prelude) {
      const available = exports.get(prelude);
      if (!available) throw new Error(`${block.file}:${block.line}: unknown prelude ${prelude}`);
      const { declared, used } = namesOf(block.body);
      const names = [...used].filter((n) => available.has(n) && !declared.has(n)).sort();
      const specifiers = names.map((n) => (available.get(n) ? n : `type ${n}`));
      if (specifiers.length > 0) header.push(`import { ${specifiers.join(', ')} } from '../../doc-examples/${prelude}.js';`);
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, [...header, block.body, '', 'export {};', ''].join('\n'));
  generated.set(path, { block, offset: header.length });
}

// The runnable blocks, sent to the runner started above once their modules are written.
const runnable = [...generated].filter(([, g]) => g.block.marker.run);
if (runner) runner.child.stdin.end(`${JSON.stringify(runnable.map(([path, g]) => [`${g.block.file}:${g.block.line}`, path]))}\n`);

const program = ts.createProgram([...generated.keys()], options, host, preludeProgram);
const errors = [];
// Only the blocks' own diagnostics: the library's sources are type-checked by `pnpm typecheck` (checking them again
// here would double the time).
const blockFiles = [...generated.keys(), ...preludeNames.map((n) => join(PRELUDES, `${n}.ts`))]
  .map((path) => program.getSourceFile(path))
  .filter(Boolean);
const diagnostics = [
  ...program.getOptionsDiagnostics(),
  ...blockFiles.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
];
for (const d of diagnostics) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
  const origin = d.file && generated.get(d.file.fileName);
  if (!d.file || d.start === undefined) errors.push(`TS${d.code}: ${message}`);
  else if (!origin) errors.push(`${relative(root, d.file.fileName)}: TS${d.code}: ${message}`);
  else {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const mdLine = origin.block.line + 1 + line - origin.offset;
    errors.push(`${origin.block.file}:${mdLine}:${character + 1} TS${d.code}: ${message}`);
  }
}
for (const e of errors) console.log(`FAIL ${e}`);
const compileSeconds = ((Date.now() - started) / 1000).toFixed(1);

const result = runner ? await runner.done : null;
let runFailed = false;
if (result) {
  // A block's own console output is not shown (it is the example's, not ours); only the run lines.
  for (const line of result.stdout.split('\n')) if (/^(ran |FAIL)/.test(line)) console.log(line);
  runFailed = result.status !== 0;
  if (runFailed && !/^FAIL/m.test(result.stdout)) console.log(`FAIL the runner exited ${result.status}:\n${result.stdout}`);
}

if (!keep) rmSync(work, { recursive: true, force: true });

const marked = blocks.length - compiled.length - otherLine.length;
const withPrelude = compiled.filter((b) => b.marker.prelude).length;
console.log(
  `check-examples (drizzle-orm ${drizzleVersion}): ${blocks.length} blocks in ${files.length} files: ${compiled.length} compiled (${compiled.length - withPrelude} as written, ` +
    `${withPrelude} with a prelude; compile ${compileSeconds} s), ${runnable.length} run, ${marked} marked no-check, ${otherLine.length} for the other drizzle-orm line — ` +
    `${errors.length === 0 && !runFailed ? 'all passed' : `${errors.length} compile errors${runFailed ? ', a run failed' : ''}`} ` +
    `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(errors.length === 0 && !runFailed ? 0 : 1);
