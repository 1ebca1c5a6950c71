import { describe, expect, it } from 'vitest';

import { markdownTable } from '../../src/report/index.js';

describe('markdownTable', () => {
  it('pads columns to the widest cell and marks right-aligned columns', () => {
    expect(markdownTable(['index', 'build'], [['hnsw', '1.2 s'], ['ivfflat', '0.4 s']], ['l', 'r'])).toBe(
      ['| index   | build |', '|---------|------:|', '| hnsw    | 1.2 s |', '| ivfflat | 0.4 s |'].join('\n'),
    );
  });

  it('prints missing cells empty', () => {
    expect(markdownTable(['a', 'b'], [['x']])).toBe(['| a | b |', '|---|---|', '| x |   |'].join('\n'));
  });
});
