/**
 * Turns text into vectors. The demo uses {@link HashingEmbedder}: local, deterministic, no network, no model
 * download. Swap in a real model by implementing {@link Embedder} (see the OpenAI sketch at the bottom) and
 * changing `DIMENSIONS` in schema.ts to the model's size (then run `pnpm generate` for a new migration).
 */
export interface Embedder {
  /** Length of every vector `embed` returns; must equal the column's `vector(n)`. */
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** Glue words of the corpus templates (en/de/fr); they carry no topic, so they are not hashed. */
const STOP_WORDS = new Set(
  (
    'a an and are about after all and as at be before but by for from get how in is it many matters more most ' +
    'of on or our over so start than that the then think this through to trying we weeks what when why with ' +
    'you your guide explains beginners compare look effect common mistakes include ignoring practical checklist ' +
    'covers experienced people recommend sorting out time changes works fails short answer questions notes ' +
    'getting started complete ten minutes lessons year nobody tells ' +
    'der die das und für ein eine einen erste schritte mit warum ist wichtig in zehn minuten jahr dieser ' +
    'leitfaden erklärt einsteiger wir vergleichen achten auf typische fehler bei man vergisst checkliste ' +
    'zuerst danach am ende praktischer ' +
    'le la les et un une pour guide pratique bien débuter avec pourquoi compte en dix une année ce explique ' +
    'débutants nous comparons regardons erreurs fréquentes oublier liste d abord ensuite enfin'
  ).split(/\s+/),
);

/** 32-bit FNV-1a over UTF-16 code units, with a seed mixed in first. */
function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Lower-cased word tokens without stop words. */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP_WORDS.has(w));
}

/**
 * Feature hashing ("the hashing trick"): every word and every pair of adjacent words adds ±weight to one of
 * `dimensions` buckets chosen by a hash; the sign comes from a second hash so collisions cancel out on
 * average. Term counts are damped (1 + ln tf) and the vector is L2-normalised, so cosine distance measures
 * shared vocabulary. Good enough to make same-topic documents neighbours; it knows no synonyms.
 *
 * @example
 * ```ts
 * const embedder = new HashingEmbedder(384);
 * const [v] = await embedder.embed(['sourdough starter feeding schedule']);   // number[384], |v| = 1
 * ```
 */
export class HashingEmbedder implements Embedder {
  constructor(
    readonly dimensions: number,
    private readonly bigramWeight = 0.7,
  ) {
    if (!Number.isInteger(dimensions) || dimensions < 2) throw new RangeError(`dimensions must be an integer >= 2, got ${dimensions}`);
  }

  embed(texts: readonly string[]): Promise<number[][]> {
    return Promise.resolve(texts.map((t) => this.embedOne(t)));
  }

  embedOne(text: string): number[] {
    const counts = new Map<string, number>();
    const tokens = tokenize(text);
    for (let i = 0; i < tokens.length; i++) {
      const word = tokens[i]!;
      counts.set(word, (counts.get(word) ?? 0) + 1);
      if (i > 0) {
        const pair = `${tokens[i - 1]!} ${word}`;
        counts.set(pair, (counts.get(pair) ?? 0) + 1);
      }
    }
    const v = new Array<number>(this.dimensions).fill(0);
    for (const [feature, tf] of counts) {
      const weight = (1 + Math.log(tf)) * (feature.includes(' ') ? this.bigramWeight : 1);
      const bucket = hash(feature, 0) % this.dimensions;
      v[bucket]! += hash(feature, 0x9e3779b9) & 1 ? weight : -weight;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    // Text without a single content word would be the zero vector, which cosine distance cannot compare
    // (pgvector returns NaN and HNSW skips it). Give it a fixed unit vector instead.
    if (norm === 0) {
      v[0] = 1;
      return v;
    }
    norm = Math.sqrt(norm);
    // Rounded to float4 precision: that is what the vector column stores anyway.
    return v.map((x) => Math.fround(x / norm));
  }
}

/*
 * Plugging in a hosted model: implement the same interface. For example with OpenAI's REST API
 * (text-embedding-3-small returns 1536 dimensions; set DIMENSIONS = 1536 in schema.ts):
 *
 * export class OpenAIEmbedder implements Embedder {
 *   readonly dimensions = 1536;
 *   constructor(private readonly apiKey = process.env.OPENAI_API_KEY!) {}
 *
 *   async embed(texts: readonly string[]): Promise<number[][]> {
 *     const res = await fetch('https://api.openai.com/v1/embeddings', {
 *       method: 'POST',
 *       headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
 *       body: JSON.stringify({ model: 'text-embedding-3-small', input: texts }),
 *     });
 *     if (!res.ok) throw new Error(`OpenAI embeddings: ${res.status} ${await res.text()}`);
 *     const json = (await res.json()) as { data: { index: number; embedding: number[] }[] };
 *     return json.data.sort((a, b) => a.index - b.index).map((d) => d.embedding);
 *   }
 * }
 *
 * Batch the calls (the API takes up to 2048 inputs per request) and store the vectors; embed each query
 * with the same model. Any other provider (Cohere, Voyage, a local ONNX model…) fits the same way.
 */
