import { bytes, heading, table } from '../../output/table.js';
import type { DoctorDocument } from './doctor.js';

const MARK = { action: '✘ action', warning: '! warning', info: '· info' } as const;

function options(o: { m?: number; efConstruction?: number; lists?: number }): string {
  return [o.m !== undefined ? `m=${o.m}` : '', o.efConstruction !== undefined ? `ef_construction=${o.efConstruction}` : '', o.lists !== undefined ? `lists=${o.lists}` : ''].filter(Boolean).join(', ');
}

/** The library's health word, with the kinds of the findings below it and, for IVFFlat, the advised lists / probes. */
function health(i: DoctorDocument['indexes'][number]): string {
  const kinds = i.problems.map((p) => p.kind).join(', ');
  const advice = i.ivfflat ? `advised lists ${i.ivfflat.advisedLists}, probes ${i.ivfflat.advisedProbes}` : '';
  const word = { ok: 'ok', warning: 'warning', 'needs-rebuild': 'needs rebuild', invalid: 'INVALID' }[i.health];
  const detail = [kinds, advice].filter(Boolean).join('; ');
  return detail ? `${word} (${detail})` : word;
}

export function renderDoctor(d: DoctorDocument): string {
  const out: string[] = [];
  const ext = d.server.extension;
  out.push(`drizzle-pgvector doctor — ${d.database}`);
  out.push(`PostgreSQL ${d.server.version}, pgvector ${ext.installed ?? 'not installed'}${ext.available && ext.available !== ext.installed ? ` (${ext.available} available)` : ''}${d.schemaTables.length ? `; schema: ${d.schemaTables.length} tables` : '; no schema (no drift check)'}`);

  out.push(heading('Settings in effect'));
  out.push(table(['setting', 'value', 'default', 'source'], d.settings.map((s) => [s.name, s.value ?? '(not loaded)', s.default, s.source ?? ''])));

  out.push(heading('Vector columns'));
  if (d.columns.length === 0) out.push('none');
  else {
    out.push(
      table(
        ['column', 'type', 'dimensions', 'rows', 'indexes'],
        d.columns.map((c) => [
          `${c.schema === 'public' ? '' : `${c.schema}.`}${c.table}.${c.column}`,
          c.type,
          c.dimensions !== undefined ? String(c.dimensions) : c.distribution ? `not fixed: ${c.distribution.dimensions.map((x) => `${x.dimensions} (${x.rows} rows)`).join(', ')}` : 'not fixed',
          Math.round(c.rows),
          c.indexes.join(', ') || '—',
        ]),
        ['left', 'left', 'left', 'right', 'left'],
      ),
    );
  }

  out.push(heading('Vector indexes'));
  if (d.indexes.length === 0) out.push('none');
  else {
    out.push(
      table(
        ['index', 'table', 'method', 'opclass', 'options', 'size', 'rows', 'health'],
        d.indexes.map((i) => [
          i.name,
          i.table,
          i.method,
          `${i.opclass}${i.expression ? ` on ${i.expression}` : ''}${i.predicate ? ` WHERE ${i.predicate}` : ''}`,
          options(i.options),
          bytes(i.sizeBytes),
          Math.round(i.rows),
          health(i),
        ]),
      ),
    );
  }

  out.push(heading(`Findings: ${d.summary.action} need action, ${d.summary.warning} warnings, ${d.summary.info} info`));
  if (d.findings.length === 0) out.push('✔ nothing to do');
  for (const f of d.findings) {
    out.push(`${MARK[f.severity]} [${f.kind}] ${f.subject}: ${f.message}`);
    for (const s of f.sql) out.push(`    ${s}`);
    if (f.schemaLine) out.push(`    schema: ${f.schemaLine.replace(/\n/g, '\n            ')}`);
  }
  return out.join('\n');
}
