import { describe, expect, it } from 'vitest';
import { prepareOkrSet, walkGraph } from './prepare.js';

const period = { start: '2026-01-01', end: '2026-03-31' };
const objective = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Objective ${id}`,
  owners: [{ team: 'hq' }],
  period,
  ...extra,
});
const set = (objectives: unknown[]) => ({ id: 'q1', name: 'Q1', objectives });

function errorOf(fn: () => unknown): {
  code?: string;
  path?: string;
  message?: string;
  details?: Record<string, unknown>;
} {
  try {
    fn();
  } catch (error) {
    return error as never;
  }
  throw new Error('expected an error');
}

describe('prepareOkrSet', () => {
  it('accepts a valid set and orders dependencies first', () => {
    const prepared = prepareOkrSet(
      set([
        objective('a', {
          keyResults: [
            {
              id: 'r',
              title: 'R',
              kind: 'rollup',
              children: [
                { ref: 'k', type: 'keyResult' },
                { ref: 'b', type: 'objective' },
              ],
            },
          ],
        }),
        objective('b', { keyResults: [{ id: 'k', title: 'K', kind: 'binary' }] }),
      ]),
    );
    const position = (type: string, o: number, k?: number) =>
      prepared.order.findIndex(
        (n) =>
          n.type === type && n.objective === o && (k === undefined || (n.type === 'keyResult' && n.keyResult === k)),
      );
    expect(position('keyResult', 1, 0)).toBeLessThan(position('objective', 1));
    expect(position('objective', 1)).toBeLessThan(position('keyResult', 0, 0));
    expect(position('keyResult', 0, 0)).toBeLessThan(position('objective', 0));
  });

  it('names an alignment cycle and where it closes', () => {
    const error = errorOf(() =>
      prepareOkrSet(
        set([
          objective('a', { alignsTo: ['b'] }),
          objective('b', { alignsTo: ['c'] }),
          objective('c', { alignsTo: ['a'] }),
        ]),
      ),
    );
    expect(error.code).toBe('E_VALIDATION');
    expect(error.message).toBe('okrSet.objectives[2].alignsTo[0]: alignment cycle: a → b → c → a');
    expect(error.details?.cycle).toEqual(['a', 'b', 'c', 'a']);
    expect(errorOf(() => prepareOkrSet(set([objective('self', { alignsTo: ['self'] })]))).message).toContain(
      'alignment cycle: self → self',
    );
  });

  it('names a rollup cycle through objectives and key results', () => {
    const error = errorOf(() =>
      prepareOkrSet(
        set([
          objective('a', {
            keyResults: [{ id: 'r', title: 'R', kind: 'rollup', children: [{ ref: 'a', type: 'objective' }] }],
          }),
        ]),
      ),
    );
    expect(error.message).toContain('rollup cycle: objective a → key result r → objective a');
    const viaAlignment = errorOf(() =>
      prepareOkrSet(
        set([
          objective('parent', { keyResults: [] }),
          objective('child', {
            alignsTo: ['parent'],
            keyResults: [{ id: 'r', title: 'R', kind: 'rollup', children: [{ ref: 'parent', type: 'objective' }] }],
          }),
        ]),
        'both',
      ),
    );
    expect(viaAlignment.message).toMatch(
      /rollup cycle: .*objective parent.*objective child|rollup cycle: .*objective child.*objective parent/,
    );
  });

  it('rejects unknown and ambiguous rollup references, duplicate ids and inverted bands', () => {
    expect(
      errorOf(() =>
        prepareOkrSet(
          set([
            objective('a', {
              keyResults: [{ id: 'r', title: 'R', kind: 'rollup', children: [{ ref: 'nope', type: 'keyResult' }] }],
            }),
          ]),
        ),
      ).message,
    ).toBe('okrSet.objectives[0].keyResults[0].children[0].ref: refers to key result "nope", which does not exist');
    expect(
      errorOf(() =>
        prepareOkrSet(
          set([
            objective('a', {
              keyResults: [{ id: 'r', title: 'R', kind: 'rollup', children: [{ ref: 'zz', type: 'objective' }] }],
            }),
          ]),
        ),
      ).message,
    ).toContain('objective "zz", which does not exist');
    const ambiguous = errorOf(() =>
      prepareOkrSet(
        set([
          objective('a', {
            keyResults: [
              { id: 'k', title: 'K', kind: 'binary' },
              { id: 'r', title: 'R', kind: 'rollup', children: [{ ref: 'k', type: 'keyResult' }] },
            ],
          }),
          objective('b', { keyResults: [{ id: 'k', title: 'K', kind: 'binary' }] }),
        ]),
      ),
    );
    expect(ambiguous.message).toContain('exists in objectives a and b');
    // Repeated ids are fine while nothing refers to them.
    expect(() =>
      prepareOkrSet(
        set([
          objective('a', { keyResults: [{ id: 'k', title: 'K', kind: 'binary' }] }),
          objective('b', { keyResults: [{ id: 'k', title: 'K', kind: 'binary' }] }),
        ]),
      ),
    ).not.toThrow();
    expect(errorOf(() => prepareOkrSet(set([objective('a'), objective('a')]))).path).toBe('okrSet.objectives[1].id');
    expect(
      errorOf(() =>
        prepareOkrSet(
          set([
            objective('a', {
              keyResults: [
                { id: 'k', title: 'K', kind: 'binary' },
                { id: 'k', title: 'K', kind: 'binary' },
              ],
            }),
          ]),
        ),
      ).path,
    ).toBe('okrSet.objectives[0].keyResults[1].id');
    expect(
      errorOf(() =>
        prepareOkrSet(
          set([objective('a', { keyResults: [{ id: 'k', title: 'K', kind: 'maintain', band: { min: 5, max: 1 } }] })]),
        ),
      ).path,
    ).toBe('okrSet.objectives[0].keyResults[0].band.min');
    expect(
      errorOf(() =>
        prepareOkrSet(
          set([
            objective('a', {
              keyResults: [
                {
                  id: 'k',
                  title: 'K',
                  kind: 'milestone',
                  milestones: [
                    { id: 'm', title: 'M' },
                    { id: 'm', title: 'M' },
                  ],
                },
              ],
            }),
          ]),
        ),
      ).path,
    ).toContain('milestones[1].id');
  });

  it('rejects what core rejects: a period ending before it starts, bad kinds, confidence above 1', () => {
    expect(
      errorOf(() => prepareOkrSet(set([objective('a', { period: { start: '2026-03-31', end: '2026-01-01' } })])))
        .message,
    ).toContain('okrSet.objectives[0].period.end: expected a period that ends on or after its start');
    expect(
      errorOf(() => prepareOkrSet(set([objective('a', { keyResults: [{ id: 'k', title: 'K', kind: 'teleport' }] })])))
        .path,
    ).toContain('keyResults[0]');
    expect(
      errorOf(() =>
        prepareOkrSet(
          set([
            objective('a', {
              keyResults: [
                { id: 'k', title: 'K', kind: 'binary', checkIns: [{ at: '2026-01-02T00:00:00Z', confidence: 2 }] },
              ],
            }),
          ]),
        ),
      ).path,
    ).toContain('confidence');
    expect(errorOf(() => prepareOkrSet('not a set')).code).toBe('E_VALIDATION');
  });

  it('warns about unknown parents and odd drives links instead of failing', () => {
    const prepared = prepareOkrSet(
      set([
        objective('a', {
          alignsTo: ['elsewhere'],
          keyResults: [
            { id: 'lead', title: 'Lead', kind: 'binary', indicator: 'leading', drives: ['lag', 'lead2', 'ghost'] },
            { id: 'lead2', title: 'Lead 2', kind: 'binary', indicator: 'leading' },
            { id: 'lag', title: 'Lag', kind: 'binary', drives: ['lead'] },
          ],
        }),
      ]),
    );
    expect(prepared.diagnostics.map((d) => [d.ruleId, d.location.path])).toEqual([
      ['okr/unknown-parent', 'okrSet.objectives[0].alignsTo[0]'],
      ['okr/drives-leading', 'okrSet.objectives[0].keyResults[0].drives[1]'],
      ['okr/unknown-driven-result', 'okrSet.objectives[0].keyResults[0].drives[2]'],
      ['okr/drives-from-lagging', 'okrSet.objectives[0].keyResults[2].indicator'],
      ['okr/drives-leading', 'okrSet.objectives[0].keyResults[2].drives[0]'],
    ]);
  });
});

describe('walkGraph', () => {
  it('handles deep chains without recursion', () => {
    const n = 100_000;
    const result = walkGraph(n, (i) => (i + 1 < n ? [i + 1] : []));
    expect('order' in result && result.order[0]).toBe(n - 1);
    const cyclic = walkGraph(n, (i) => [(i + 1) % n]);
    expect('cycle' in cyclic && cyclic.cycle.length).toBe(n + 1);
  });
});
