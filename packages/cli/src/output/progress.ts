import cliProgress from 'cli-progress';
import type { BuildProgress } from 'drizzle-pgvector';
import { duration } from './table.js';

/** A progress bar on stderr (cli-progress) for an index build: percent, phase, elapsed and ETA. */
export interface BuildProgressBar {
  update(progress: BuildProgress): void;
  stop(): void;
}

/** The bar, or a no-op when `enabled` is false (--json, or stderr is not a terminal: then one line per phase). */
export function buildProgressBar(label: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): BuildProgressBar {
  if (!enabled) {
    return { update: () => undefined, stop: () => undefined };
  }
  if (!stream.isTTY) {
    let lastPhase = '';
    return {
      update: (p) => {
        if (p.phase === lastPhase) return;
        lastPhase = p.phase;
        stream.write(`${label}: ${p.phase} (${Math.round(p.fraction * 100)}%, ${duration(p.elapsedMs)})\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {phase} | {tuples} | elapsed {elapsed} | ETA {eta_text}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { phase: 'start', tuples: '', elapsed: '0 ms', eta_text: '?' });
  return {
    update: (p) =>
      bar.update(Math.round(p.fraction * 1000) / 10, {
        phase: p.phase,
        tuples: p.tuplesTotal > 0 ? `${p.tuplesDone}/${p.tuplesTotal} tuples` : p.blocksTotal > 0 ? `${p.blocksDone}/${p.blocksTotal} blocks` : `${p.tuplesDone} tuples`,
        elapsed: duration(p.elapsedMs),
        eta_text: p.etaMs === undefined ? '?' : duration(p.etaMs),
      }),
    stop: () => bar.stop(),
  };
}
