import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { schemas } from '../registry.js';
import { LockLevelSchema, SlotDefSchema, SlotValueSchema } from '../schemas/template.js';
import { ActivationSchema, CompletionSchema, ReviewerSelectorSchema } from '../schemas/workflow.js';
import { BrandKitSchema } from '../schemas/brand-kit.js';
import { valid } from '../__fixtures__/samples.js';
import { formatIssues, type ValidationIssue } from './format-issues.js';
import { safeParse } from './parse.js';

function issuesOf(schema: z.ZodType, input: unknown, label = 'x'): ValidationIssue[] {
  const result = safeParse(schema, input, label);
  if (result.ok) throw new Error('expected the input to be invalid');
  return result.error.details.issues as ValidationIssue[];
}

function only(schema: z.ZodType, input: unknown, label = 'x'): ValidationIssue {
  const issues = issuesOf(schema, input, label);
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

describe('union errors', () => {
  it('name every alternative and where the closest one first fails', () => {
    const issue = only(CompletionSchema, { rule: 'quorum' });
    expect(issue.message).toBe(
      'x: expected {rule: "all" | "any"} | {rule: "primary", primary} | {rule: "quorum", n} — closest {rule: "quorum", n}, at x.n: expected a number, got nothing',
    );
    expect(issue.path).toBe('x.n');
  });

  it('point at a misspelt key through the alternative that has it', () => {
    const issue = only(ReviewerSelectorSchema, { rol: 'editor' });
    expect(issue.message).toContain('expected {user} | {role, region?} | {group}');
    expect(issue.message).toContain('closest {role, region?}, at x.role: expected a string, got nothing');
    expect(issue.message).toContain('x.rol looks like a misspelling of role');
  });

  it('describe a union nested in the closest alternative the same way', () => {
    const issue = only(ReviewerSelectorSchema, { role: 'editor', region: 5 });
    expect(issue.message).toBe(
      'x: expected {user} | {role, region?} | {group} — closest {role, region?}, at x.region: expected a string | "submission", got 5',
    );
    expect(issue.path).toBe('x.region');
  });

  it('name the one key that tells the alternatives apart, with all its values and a did-you-mean', () => {
    const issue = only(ActivationSchema, { on: 'approvd' });
    expect(issue.path).toBe('x.on');
    expect(issue.message).toContain(
      'at x.on: expected one of "submit" | "approved" | "decided" | "at" (did you mean "approved"?), got "approvd"',
    );
  });

  it('list scalar alternatives when the value has none of their types', () => {
    expect(only(SlotValueSchema, 5).message).toBe(
      'x: expected a string | a boolean | {src, alt?, width?, height?, assetId?} | {href, text}, got 5',
    );
    expect(only(LockLevelSchema, 'lockd').message).toBe(
      'x: expected "locked" | "editable" | "textOnly" | {custom} (did you mean "locked"?), got "lockd"',
    );
  });

  it('name the alternatives from the issues when the schema is not given', () => {
    const parsed = ReviewerSelectorSchema.safeParse(7, { reportInput: true });
    const [issue] = formatIssues('x', parsed.error?.issues ?? []);
    expect(issue?.message).toBe('x: expected an object, got 7');
    const lock = LockLevelSchema.safeParse('lockd', { reportInput: true });
    expect(formatIssues('x', lock.error?.issues ?? [])[0]?.message).toBe(
      'x: expected "locked" | "editable" | "textOnly" | an object (did you mean "locked"?), got "lockd"',
    );
  });

  it('never falls back to a placeholder for any core schema, whatever the input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(schemas)), fc.jsonValue({ maxDepth: 3 }), (name, input) => {
        const schema = schemas[name as keyof typeof schemas] as z.ZodType;
        const result = safeParse(schema, input, name);
        if (result.ok) return;
        for (const issue of result.error.details.issues as ValidationIssue[]) {
          expect(issue.path.startsWith(name)).toBe(true);
          expect(issue.message).not.toMatch(/allowed shapes|one of the alternatives|undefined|\[object Object\]/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('hints are true', () => {
  // Each case: a document with one typo; applying the did-you-mean the error offers must fix that path.
  const cases: { name: string; schema: z.ZodType; input: unknown; fix: (input: unknown, meant: string) => unknown }[] =
    [
      {
        name: 'a tag value',
        schema: ActivationSchema,
        input: { on: 'approvd' },
        fix: (_, meant) => ({ on: meant }),
      },
      {
        name: 'an enum alternative',
        schema: LockLevelSchema,
        input: 'textonly',
        fix: (_, meant) => meant,
      },
      {
        name: 'a discriminator',
        schema: SlotDefSchema,
        input: { id: 'cta', kind: 'lnk' },
        fix: (input, meant) => ({ ...(input as object), kind: meant }),
      },
      {
        name: 'an unknown key',
        schema: BrandKitSchema,
        input: { ...valid.brandKit, palette: undefined, palete: valid.brandKit.palette },
        fix: (input, meant) => {
          const { palete, ...rest } = input as Record<string, unknown>;
          return { ...rest, [meant]: palete };
        },
      },
      {
        name: 'a misspelt key in a union alternative',
        schema: ReviewerSelectorSchema,
        input: { rol: 'editor' },
        fix: (_, meant) => ({ [meant]: 'editor' }),
      },
    ];

  for (const c of cases) {
    it(`for ${c.name}`, () => {
      const issues = issuesOf(c.schema, c.input);
      const text = issues.map((i) => i.message).join('\n');
      const meant = /did you mean "([^"]+)"|misspelling of (\w+)/.exec(text);
      expect(meant, text).not.toBeNull();
      const fixed = c.fix(c.input, meant?.[1] ?? meant?.[2] ?? '');
      expect(safeParse(c.schema, fixed, 'x').ok).toBe(true);
    });
  }

  it('offers no did-you-mean when nothing is close', () => {
    expect(only(ActivationSchema, { on: 'tomorrow' }).message).not.toContain('did you mean');
    expect(only(LockLevelSchema, 'frozen').message).not.toContain('did you mean');
  });
});
