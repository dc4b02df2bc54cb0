import fc from 'fast-check';
import { SubmissionFactsSchema, isHubspokeError, type Condition, type WorkflowDefInput } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { evaluateCondition } from './routing.js';
import { prepareWorkflow } from './workflow.js';
import { standardWorkflow } from './__fixtures__/harness.js';
import { addDuration, durationMs } from './duration.js';

const facts = SubmissionFactsSchema.parse({
  region: 'EMEA',
  locales: ['de-DE', 'fr-FR'],
  newLocales: ['fr-FR'],
  tags: ['pricing'],
  lint: { errors: 0, warnings: 3 },
  change: { touchedLockLevels: ['editable', 'textOnly'], structural: false, textOnly: true },
});
const holds = (c: Condition) => evaluateCondition(c, { facts, author: 'lena' });

describe('routing conditions', () => {
  it('tests scalar facts', () => {
    expect(holds({ fact: 'region', op: 'eq', value: 'EMEA' })).toBe(true);
    expect(holds({ fact: 'region', op: 'ne', value: 'EMEA' })).toBe(false);
    expect(holds({ fact: 'region', op: 'in', value: ['APAC', 'EMEA'] })).toBe(true);
    expect(holds({ fact: 'author', op: 'contains', value: 'len' })).toBe(true);
    expect(holds({ fact: 'region', op: 'notEmpty' })).toBe(true);
    expect(
      evaluateCondition({ fact: 'region', op: 'isEmpty' }, { facts: SubmissionFactsSchema.parse({}), author: 'x' }),
    ).toBe(true);
  });

  it('tests list facts', () => {
    expect(holds({ fact: 'tags', op: 'contains', value: 'pricing' })).toBe(true);
    expect(holds({ fact: 'tags', op: 'containsAny', value: ['legal-claim', 'pricing'] })).toBe(true);
    expect(holds({ fact: 'change.touchedLockLevels', op: 'onlyContains', value: ['editable'] })).toBe(false);
    expect(holds({ fact: 'change.touchedLockLevels', op: 'onlyContains', value: ['editable', 'textOnly'] })).toBe(true);
    expect(holds({ fact: 'locales', op: 'eq', value: ['fr-FR', 'de-DE'] })).toBe(true);
    expect(holds({ fact: 'newLocales', op: 'notEmpty' })).toBe(true);
    expect(holds({ fact: 'newLocales', op: 'isEmpty' })).toBe(false);
  });

  it('tests numbers and booleans', () => {
    expect(holds({ fact: 'lint.warnings', op: 'gt', value: 2 })).toBe(true);
    expect(holds({ fact: 'lint.warnings', op: 'lte', value: 2 })).toBe(false);
    expect(holds({ fact: 'lint.errors', op: 'eq', value: 0 })).toBe(true);
    expect(holds({ fact: 'change.textOnly', op: 'eq', value: true })).toBe(true);
    expect(holds({ fact: 'change.structural', op: 'ne', value: false })).toBe(false);
  });

  it('combines with all, any and not', () => {
    const goofProof: Condition = {
      all: [
        { fact: 'change.textOnly', op: 'eq', value: true },
        { fact: 'lint.errors', op: 'eq', value: 0 },
      ],
    };
    expect(holds(goofProof)).toBe(true);
    expect(holds({ not: goofProof })).toBe(false);
    expect(holds({ any: [{ fact: 'region', op: 'eq', value: 'APAC' }, goofProof] })).toBe(true);
  });

  it('not(c) is always the opposite of c, whatever the facts', () => {
    const factArb = fc.record({
      region: fc.option(fc.constantFrom('EMEA', 'APAC', 'US-TX'), { nil: undefined }),
      tags: fc.array(fc.constantFrom('pricing', 'legal-claim', 'promo')),
      lint: fc.record({ errors: fc.nat(5), warnings: fc.nat(5) }),
    });
    const conditionArb: fc.Arbitrary<Condition> = fc.oneof(
      fc.record({
        fact: fc.constant('tags' as const),
        op: fc.constantFrom('contains' as const),
        value: fc.constantFrom('pricing', 'promo'),
      }),
      fc.record({
        fact: fc.constant('lint.errors' as const),
        op: fc.constantFrom('gt' as const, 'lte' as const, 'eq' as const),
        value: fc.nat(5),
      }),
      fc.record({
        fact: fc.constant('region' as const),
        op: fc.constantFrom('eq' as const, 'ne' as const),
        value: fc.constantFrom('EMEA', 'APAC'),
      }),
    );
    fc.assert(
      fc.property(factArb, conditionArb, (raw, condition) => {
        const input = { facts: SubmissionFactsSchema.parse(raw), author: 'a' };
        expect(evaluateCondition({ not: condition }, input)).toBe(!evaluateCondition(condition, input));
      }),
    );
  });
});

describe('workflow validation', () => {
  const withWhen = (when: unknown): WorkflowDefInput => ({
    id: 'w',
    version: 1,
    name: 'W',
    stages: [{ id: 'a', name: 'A', reviewers: [{ role: 'x' }], when }],
  });

  it('accepts the standard workflow', () => {
    expect(prepareWorkflow(standardWorkflow).def.stages).toHaveLength(3);
    expect(prepareWorkflow(standardWorkflow).hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects an operator that cannot apply to its fact, naming the path', () => {
    expect(() => prepareWorkflow(withWhen({ fact: 'tags', op: 'gt', value: 1 }))).toThrow(
      /workflow\.stages\[0\]\.when: "gt" does not apply to tags/,
    );
    expect(() => prepareWorkflow(withWhen({ all: [{ fact: 'lint.errors', op: 'gt', value: 'many' }] }))).toThrow(
      /stages\[0\]\.when\.all\[0\]\.value: expected a number/,
    );
    expect(() => prepareWorkflow(withWhen({ fact: 'tags', op: 'containsAny', value: 'pricing' }))).toThrow(
      /expected a list value/,
    );
    expect(() => prepareWorkflow(withWhen({ fact: 'change.textOnly', op: 'eq', value: 'yes' }))).toThrow(
      /true or false/,
    );
    expect(() => prepareWorkflow(withWhen({ fact: 'tags', op: 'isEmpty', value: 1 }))).toThrow(/expected no value/);
  });

  it('rejects stages that wait on each other', () => {
    const cyclic: WorkflowDefInput = {
      id: 'w',
      version: 1,
      name: 'W',
      stages: [
        { id: 'a', name: 'A', reviewers: [{ role: 'x' }], activation: { on: 'approved', of: ['b'] } },
        { id: 'b', name: 'B', reviewers: [{ role: 'x' }], activation: { on: 'approved', of: ['a'] } },
      ],
    };
    expect(() => prepareWorkflow(cyclic)).toThrow(/cycle \(a → b → a\)/);
  });

  it('rejects a quorum larger than the named reviewers and malformed definitions', () => {
    expect(() =>
      prepareWorkflow({
        id: 'w',
        version: 1,
        name: 'W',
        stages: [{ id: 'a', name: 'A', reviewers: [{ user: 'u1' }], completion: { rule: 'quorum', n: 2 } }],
      }),
    ).toThrow(/quorum of 2/);
    const error: unknown = (() => {
      try {
        prepareWorkflow({ id: 'w', version: 0, stages: 'nope' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
  });
});

describe('durations', () => {
  it('parses ISO 8601 durations, negative ones included', () => {
    expect(durationMs('P2D')).toBe(172_800_000);
    expect(durationMs('-PT4H')).toBe(-14_400_000);
    expect(durationMs('P1W')).toBe(604_800_000);
    expect(durationMs('PT1.5S')).toBe(1500);
    expect(addDuration('2026-03-02T09:00:00+01:00', 'PT30M')).toBe('2026-03-02T08:30:00.000Z');
  });

  it('rejects anything else with E_VALIDATION', () => {
    for (const bad of ['P', 'PT', '2 days', 'P1DT', '', 'P1Y'])
      expect(() => durationMs(bad)).toThrow(/ISO 8601 duration/);
  });
});
