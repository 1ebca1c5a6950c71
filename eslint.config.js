// Lint rules for the whole workspace: eslint's and typescript-eslint's recommended sets.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The library's layers (folders of packages/drizzle-pgvector/src), lowest first; docs/development.md draws the
 * same stack. An area imports only from areas of lower layers (and from itself): never from its own layer, never
 * from above. The entry files at the root of src (index.ts, internal.ts, pg.ts, pglite.ts) sit above them all.
 */
const LAYERS = [
  ['errors'],
  ['catalog', 'compat'],
  ['codec', 'driver'],
  ['pg-catalog'],
  ['columns', 'text-search', 'settings', 'extension'],
  ['targets'],
  ['indexes'],
  ['advice'],
  ['queries', 'operations'],
  ['inspection', 'migrations', 'tuning', 'copy'],
];

/** One `no-restricted-imports` override per area: relative imports that climb out of it into its own layer or a higher one fail. */
const layerRules = LAYERS.flatMap((areas, level) =>
  areas.map((area) => {
    const forbidden = LAYERS.slice(level).flat().filter((a) => a !== area);
    const below = LAYERS.slice(0, level).flat();
    return {
      files: [`packages/drizzle-pgvector/src/${area}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                // `../x/…` from src/<area>, `../../x/…` from a subfolder (no subfolder is named like an area).
                regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
                message: `layer rule: ${area}/ may import only from lower layers (${below.join(', ') || 'none'}); see LAYERS in eslint.config.js and docs/development.md. Move the shared piece down.`,
              },
            ],
          },
        ],
      },
    };
  }),
);

/** SQL reading what pg-catalog/ owns: vector indexes (pg_index, pg_am, pg_opclass), their options, extensions. */
const CATALOG_SQL = String.raw`/\b(from|join)\s+(pg_catalog\.)?pg_(index|am|opclass|extension)\b|\breloptions\b|pg_options_to_table/i`;
const catalogMessage = 'pg-catalog rule: only packages/drizzle-pgvector/src/pg-catalog/ reads indexes, reloptions and extensions from pg_catalog; call its readers (or add one there).';

/** pg-catalog/ is the one reader of the live catalog: SQL text naming its tables anywhere else in the library fails. */
const catalogRule = {
  files: ['packages/drizzle-pgvector/src/**/*.ts'],
  ignores: ['packages/drizzle-pgvector/src/pg-catalog/**'],
  rules: {
    'no-restricted-syntax': [
      'error',
      { selector: `Literal[value=${CATALOG_SQL}]`, message: catalogMessage },
      { selector: `TemplateElement[value.raw=${CATALOG_SQL}]`, message: catalogMessage },
    ],
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/drizzle/meta/**', '**/.pglite-data/**', 'docs/reference/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-sparse-arrays': 'off',
    },
  },
  ...layerRules,
  catalogRule,
);
