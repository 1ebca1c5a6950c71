/**
 * A deterministic corpus: topics × templates × a seeded PRNG. The same seed always gives the same documents,
 * so every run (and every machine) searches the same data and prints the same results.
 *
 * Documents on one topic share its vocabulary, so they end up close to each other in embedding space; a few
 * sentences borrow words from another topic so neighbours are not trivially separable.
 */
import { seededRandom } from '@drizzle-pgvector/testing/data';

/** Helpers around the shared seeded PRNG (`seededRandom`, mulberry32) of `@drizzle-pgvector/testing/data`. */
export class Random {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick() from an empty list');
    return item;
  }

  /** `count` distinct items (fewer if the list is shorter). */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(pool.splice(this.int(pool.length), 1)[0] as T);
    return out;
  }
}

export type Lang = 'en' | 'de' | 'fr';

export interface Topic {
  readonly name: string;
  readonly category: string;
  /** Words and phrases that documents on this topic use. */
  readonly terms: readonly string[];
}

export interface CorpusDocument {
  readonly id: number;
  readonly title: string;
  readonly body: string;
  readonly lang: Lang;
  readonly category: string;
  /** Not stored: which topic generated the document (handy when reading results). */
  readonly topic: string;
}

export const TOPICS: readonly Topic[] = [
  { name: 'sourdough', category: 'cooking', terms: ['sourdough starter', 'levain', 'rye flour', 'hydration', 'bulk fermentation', 'crumb', 'crust', 'dutch oven', 'proofing basket', 'wild yeast', 'scoring', 'autolyse', 'feeding schedule', 'bread dough', 'oven spring'] },
  { name: 'pasta', category: 'cooking', terms: ['fresh pasta', 'semolina', 'egg yolks', 'tagliatelle', 'ravioli filling', 'pasta machine', 'al dente', 'tomato sauce', 'parmesan', 'olive oil', 'garlic', 'basil', 'carbonara', 'pasta water', 'rolling pin'] },
  { name: 'coffee', category: 'cooking', terms: ['espresso', 'pour over', 'burr grinder', 'grind size', 'extraction', 'crema', 'roast profile', 'arabica beans', 'milk frothing', 'brew ratio', 'water temperature', 'cold brew', 'aeropress', 'tamping', 'bitterness'] },
  { name: 'postgres-indexing', category: 'databases', terms: ['b-tree index', 'query planner', 'explain analyze', 'sequential scan', 'index scan', 'vacuum', 'table statistics', 'composite index', 'partial index', 'query latency', 'postgres', 'execution plan', 'bitmap scan', 'index bloat', 'selectivity'] },
  { name: 'vector-search', category: 'databases', terms: ['embeddings', 'pgvector', 'hnsw index', 'ivfflat lists', 'cosine distance', 'nearest neighbours', 'recall', 'ef search', 'probes', 'semantic search', 'vector dimensions', 'approximate search', 'similarity threshold', 'reranking', 'quantization'] },
  { name: 'replication', category: 'databases', terms: ['streaming replication', 'replica lag', 'write ahead log', 'failover', 'standby server', 'logical decoding', 'replication slot', 'primary server', 'high availability', 'point in time recovery', 'backups', 'wal archiving', 'synchronous commit', 'promotion', 'cluster'] },
  { name: 'alps-hiking', category: 'travel', terms: ['alpine hut', 'mountain trail', 'hiking boots', 'via ferrata', 'glacier', 'summit', 'trekking poles', 'weather forecast', 'altitude', 'mountain pass', 'rain jacket', 'trail map', 'switzerland', 'cable car', 'day pack'] },
  { name: 'japan-rail', category: 'travel', terms: ['rail pass', 'shinkansen', 'kyoto', 'tokyo station', 'seat reservation', 'bullet train', 'ekiben', 'osaka', 'train timetable', 'ic card', 'platform', 'local trains', 'luggage', 'hokkaido', 'night bus'] },
  { name: 'island-beaches', category: 'travel', terms: ['snorkeling', 'coral reef', 'sunscreen', 'ferry', 'beach hut', 'island hopping', 'sea turtles', 'low season', 'lagoon', 'diving', 'hammock', 'tropical storm', 'boat trip', 'white sand', 'tide'] },
  { name: 'marathon', category: 'health', terms: ['marathon training', 'long run', 'tempo run', 'running shoes', 'heart rate zones', 'taper', 'race pace', 'interval training', 'hydration plan', 'energy gels', 'recovery week', 'shin splints', 'cadence', 'easy miles', 'personal best'] },
  { name: 'sleep', category: 'health', terms: ['sleep schedule', 'deep sleep', 'melatonin', 'caffeine', 'bedtime routine', 'insomnia', 'circadian rhythm', 'naps', 'blue light', 'sleep quality', 'rem sleep', 'bedroom temperature', 'jet lag', 'snoring', 'waking up'] },
  { name: 'nutrition', category: 'health', terms: ['protein intake', 'fibre', 'meal prep', 'vegetables', 'whole grains', 'calories', 'vitamins', 'sugar', 'healthy fats', 'portion size', 'legumes', 'breakfast', 'intermittent fasting', 'gut health', 'hydration'] },
  { name: 'index-funds', category: 'finance', terms: ['index funds', 'expense ratio', 'diversification', 'stock market', 'compound interest', 'etf', 'asset allocation', 'rebalancing', 'retirement account', 'dividends', 'market crash', 'long term investing', 'bonds', 'volatility', 'dollar cost averaging'] },
  { name: 'budgeting', category: 'finance', terms: ['monthly budget', 'emergency fund', 'spending tracker', 'credit card debt', 'savings goal', 'grocery bill', 'rent', 'subscriptions', 'cash envelopes', 'interest rate', 'net worth', 'side income', 'bank account', 'frugal living', 'paycheck'] },
  { name: 'telescopes', category: 'science', terms: ['telescope', 'aperture', 'eyepiece', 'dark sky', 'light pollution', 'star chart', 'nebula', 'saturn rings', 'tripod mount', 'astrophotography', 'focal length', 'moon craters', 'galaxy', 'observing session', 'collimation'] },
  { name: 'mars-missions', category: 'science', terms: ['mars rover', 'landing site', 'red planet', 'martian soil', 'rocket launch', 'orbiter', 'sample return', 'dust storms', 'perseverance', 'helicopter flight', 'ancient lake', 'radiation', 'spacecraft', 'mission control', 'crater'] },
  { name: 'tomatoes', category: 'gardening', terms: ['tomato plants', 'seedlings', 'greenhouse', 'pruning suckers', 'cherry tomatoes', 'blight', 'watering', 'potting soil', 'stakes', 'fertiliser', 'heirloom varieties', 'ripening', 'sunlight', 'raised bed', 'harvest'] },
  { name: 'composting', category: 'gardening', terms: ['compost heap', 'kitchen scraps', 'worms', 'brown leaves', 'nitrogen', 'carbon ratio', 'turning the pile', 'mulch', 'soil health', 'bokashi', 'garden waste', 'moisture', 'hot composting', 'fruit flies', 'finished compost'] },
  { name: 'guitar', category: 'music', terms: ['guitar chords', 'fingerpicking', 'fretboard', 'capo', 'barre chords', 'strumming pattern', 'tuning', 'acoustic guitar', 'guitar strings', 'scales', 'metronome', 'calluses', 'tablature', 'amplifier', 'practice routine'] },
  { name: 'home-recording', category: 'music', terms: ['audio interface', 'condenser microphone', 'mixing', 'headphones', 'room acoustics', 'daw', 'vocal recording', 'compression', 'equalizer', 'latency', 'mastering', 'studio monitors', 'pop filter', 'gain staging', 'reverb'] },
];

const TITLE_TEMPLATES: Readonly<Record<Lang, readonly string[]>> = {
  en: ['{A} and {b}: a practical guide', 'Getting started with {a}', 'Why {a} matters for {b}', '{A} in ten minutes', 'Lessons from a year of {a}', 'The complete guide to {a} and {b}', 'Ten mistakes with {a}', 'What nobody tells you about {a}'],
  de: ['{A} und {b}: ein praktischer Leitfaden', 'Erste Schritte mit {a}', 'Warum {a} für {b} wichtig ist', '{A} in zehn Minuten', 'Ein Jahr mit {a}'],
  fr: ['{A} et {b} : un guide pratique', 'Bien débuter avec {a}', 'Pourquoi {a} compte pour {b}', '{A} en dix minutes', 'Une année avec {a}'],
};

const SENTENCE_TEMPLATES: Readonly<Record<Lang, readonly string[]>> = {
  en: [
    'This guide explains {a} and {b} for beginners.',
    'We compare {a} with {b} and look at the effect on {c}.',
    'Common mistakes with {a} include ignoring {b}.',
    'A practical checklist covers {a}, {b} and {c}.',
    'Experienced people recommend sorting out {a} before {b}.',
    'Over time {a} changes how you think about {b}.',
    'What works, what fails, and why {a} matters more than {b}.',
    'The short answer: start with {a}, then {b}, then {c}.',
    'Most questions we get are about {a} and {b}.',
    'Our notes on {a} after many weeks of trying {b}.',
  ],
  de: [
    'Dieser Leitfaden erklärt {a} und {b} für Einsteiger.',
    'Wir vergleichen {a} mit {b} und achten auf {c}.',
    'Typische Fehler bei {a}: man vergisst {b}.',
    'Eine Checkliste für {a}, {b} und {c}.',
    'Zuerst {a}, danach {b}, am Ende {c}.',
  ],
  fr: [
    'Ce guide explique {a} et {b} pour les débutants.',
    'Nous comparons {a} avec {b} et regardons {c}.',
    'Les erreurs fréquentes avec {a} : oublier {b}.',
    'Une liste pratique pour {a}, {b} et {c}.',
    "D'abord {a}, ensuite {b}, enfin {c}.",
  ],
};

function fill(template: string, terms: readonly string[]): string {
  const [a = '', b = a, c = b] = terms;
  return template
    .replace('{A}', a.charAt(0).toUpperCase() + a.slice(1))
    .replace('{a}', a)
    .replace('{b}', b)
    .replace('{c}', c);
}

function pickLang(random: Random): Lang {
  const x = random.next();
  return x < 0.7 ? 'en' : x < 0.85 ? 'de' : 'fr';
}

/**
 * `count` documents, the same for the same `seed`. Each has a title and 3–6 sentences, 70% English,
 * 15% German, 15% French; 15% of sentences use a second topic's words.
 */
export function generateCorpus(count: number, seed = 42): CorpusDocument[] {
  const random = new Random(seed);
  const docs: CorpusDocument[] = [];
  for (let id = 1; id <= count; id++) {
    const topic = random.pick(TOPICS);
    const lang = pickLang(random);
    const title = fill(random.pick(TITLE_TEMPLATES[lang]), random.sample(topic.terms, 2));
    const sentences: string[] = [];
    const n = 3 + random.int(4);
    for (let s = 0; s < n; s++) {
      const source = random.next() < 0.15 ? random.pick(TOPICS) : topic;
      sentences.push(fill(random.pick(SENTENCE_TEMPLATES[lang]), random.sample(source.terms, 3)));
    }
    docs.push({ id, title, body: sentences.join(' '), lang, category: topic.category, topic: topic.name });
  }
  return docs;
}

/**
 * Search phrases like a user would type: a few of one topic's terms, sometimes with a word from another
 * topic. Deterministic for a seed (different from the corpus seed, so queries are not copies of documents).
 */
export function generateQueries(count: number, seed = 7): string[] {
  const random = new Random(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const topic = random.pick(TOPICS);
    const terms = random.sample(topic.terms, 2 + random.int(2));
    if (random.next() < 0.3) terms.push(random.pick(random.pick(TOPICS).terms));
    out.push(terms.join(' '));
  }
  return out;
}
