import { LocaleSchema, RegionSchema, SeveritySchema } from '@hubspoke/core';
import { z } from 'zod';
import { SCOPE_PATTERN } from '../scope.js';
import { findRegexHazard } from './regex-guard.js';

export const LevelSchema = z.enum(['error', 'warning', 'suggestion', 'off']);

const RuleIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\/[a-z0-9][a-z0-9/-]*$/, { error: 'expected a rule id like "acme/no-lorem"' });

const ScopeNameSchema = z.string().regex(SCOPE_PATTERN, {
  error:
    'expected a scope: subject, preheader, heading, body, cta, alt, link.href, footer, module:<id> or slot:<id>, optionally negated with ~',
});

export const ScopeListSchema = z
  .union([ScopeNameSchema, z.array(ScopeNameSchema).min(1)])
  .transform((s) => (typeof s === 'string' ? [s] : s));

/** `'error'`, `['warning', options]` or `{ level, options, scope }`. */
export const RuleSettingSchema = z.union([
  LevelSchema,
  z.tuple([LevelSchema]).rest(z.unknown()),
  z
    .object({ level: LevelSchema.optional(), options: z.unknown().optional(), scope: ScopeListSchema.optional() })
    .strict(),
]);
export type RuleSetting = z.input<typeof RuleSettingSchema>;

function compiles(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags);
    return true;
  } catch {
    return false;
  }
}

const MAX_PATTERN_LENGTH = 2000;
const RegexSchema = z
  .string()
  .min(1)
  .max(MAX_PATTERN_LENGTH)
  .refine((source) => compiles(source, 'u'), { error: 'expected a valid JavaScript regular expression' });

const TokenSchema = z.union([
  z.string().min(1).max(200),
  z.object({ term: z.string().min(1).max(200), caseSensitive: z.boolean() }).strict(),
]);

const dataRuleBase = {
  /** `%s` is replaced by the matched text (substitution: the replacement, then the match). */
  message: z.string().min(1).max(500),
  level: z.enum(['error', 'warning', 'suggestion']).default('warning'),
  scope: ScopeListSchema.optional(),
  description: z.string().max(500).optional(),
  link: z.string().max(1000).optional(),
};

/**
 * Opting out of the ReDoS guard: the hub vouches that this rule's regular expressions are fast
 * on any text. Text is still capped at MAX_REGEX_INPUT characters per run.
 */
const allowUnsafeRegex = z
  .boolean()
  .optional()
  .describe("Skip the ReDoS check of this rule's regular expressions (the hub vouches for them)");

const CASE_STYLES = ['$title', '$sentence', '$lower', '$upper'] as const;
export const isCaseStyle = (match: string): boolean => (CASE_STYLES as readonly string[]).includes(match);

/** The flags a rule's regexes run with (see data-rules.ts): `u`, plus `i` when ignoring case. */
const runFlags = (ignorecase: boolean) => (ignorecase ? 'iu' : 'u');

/** How capitalization runs a regex `match`: against the whole text. */
export function wholeTextRegex(source: string): string {
  return `^(?:${source})$`;
}

/**
 * The ReDoS guard, at config time: each regex of a rule, as it will run, must not backtrack
 * super-linearly, unless the rule sets `allowUnsafeRegex`.
 */
function guardRegexes<T extends { allowUnsafeRegex?: boolean | undefined }>(
  regexes: (rule: T) => [key: string, source: string, flags: string, asRun?: string][],
) {
  return (rule: T, ctx: z.RefinementCtx) => {
    if (rule.allowUnsafeRegex === true) return;
    for (const [key, source, flags, asRun = source] of regexes(rule)) {
      if (source.length > MAX_PATTERN_LENGTH || !compiles(source, flags)) continue; // reported as invalid already
      const hazard = findRegexHazard(asRun, flags);
      if (hazard === undefined) continue;
      const why =
        hazard.kind === 'unverifiable'
          ? `it cannot be checked for catastrophic backtracking: ${hazard.message}`
          : `${JSON.stringify(hazard.part)} can take ${hazard.kind} time on some texts (ReDoS): ${hazard.message}`;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        input: source,
        message: `expected a regular expression without catastrophic backtracking, but ${why}; rewrite it, or set "allowUnsafeRegex": true on this rule`,
      });
    }
  };
}

/** Vale's rule kinds, as data. */
export const DataRuleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      ...dataRuleBase,
      kind: z.literal('existence'),
      tokens: z.array(TokenSchema).min(1),
      caseSensitive: z.boolean().default(false),
      nonword: z.boolean().default(false),
      exceptions: z.array(z.string()).default([]),
    })
    .strict(),
  z
    .object({
      ...dataRuleBase,
      kind: z.literal('substitution'),
      swap: z
        .record(z.string().min(1).max(200), z.string().max(200))
        .refine((s) => Object.keys(s).length > 0, { error: 'expected at least one swap' }),
      caseSensitive: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      ...dataRuleBase,
      kind: z.literal('occurrence'),
      token: RegexSchema,
      ignorecase: z.boolean().default(false),
      min: z.number().int().min(0).optional(),
      max: z.number().int().min(0).optional(),
      allowUnsafeRegex,
    })
    .strict()
    .superRefine(guardRegexes((r) => [['token', r.token, runFlags(r.ignorecase)]])),
  z
    .object({
      ...dataRuleBase,
      kind: z.literal('consistency'),
      either: z
        .record(z.string().min(1).max(200), z.string().min(1).max(200))
        .refine((s) => Object.keys(s).length > 0, { error: 'expected at least one pair' }),
      caseSensitive: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      ...dataRuleBase,
      kind: z.literal('conditional'),
      first: RegexSchema,
      second: RegexSchema,
      exceptions: z.array(z.string()).default([]),
      allowUnsafeRegex,
    })
    .strict()
    .superRefine(
      guardRegexes((r) => [
        ['first', r.first, runFlags(false)],
        ['second', r.second, runFlags(false)],
      ]),
    ),
  z
    .object({
      ...dataRuleBase,
      kind: z.literal('capitalization'),
      match: z.union([z.enum(CASE_STYLES), RegexSchema]),
      exceptions: z.array(z.string()).default([]),
      allowUnsafeRegex,
    })
    .strict()
    .superRefine(
      guardRegexes((r) => (isCaseStyle(r.match) ? [] : [['match', r.match, runFlags(false), wholeTextRegex(r.match)]])),
    ),
  z
    .object({
      ...dataRuleBase,
      kind: z.literal('readability'),
      metrics: z
        .array(z.enum(['flesch-kincaid', 'gunning-fog', 'coleman-liau', 'smog', 'automated-readability']))
        .min(1)
        .default(['flesch-kincaid']),
      grade: z.number().positive().max(30),
      minWords: z.number().int().min(1).default(30),
    })
    .strict(),
  z
    .object({
      ...dataRuleBase,
      kind: z.literal('pattern'),
      pattern: RegexSchema,
      ignorecase: z.boolean().default(false),
      replace: z.string().max(500).optional(),
      allowUnsafeRegex,
    })
    .strict()
    .superRefine(guardRegexes((r) => [['pattern', r.pattern, runFlags(r.ignorecase)]])),
]);
export type DataRule = z.output<typeof DataRuleSchema>;
export type DataRuleInput = z.input<typeof DataRuleSchema>;

const SlotRoleSchema = z.enum(['heading', 'cta', 'footer', 'body']);

/** A config whose rules apply only to some locales or regions. */
export const OverrideSchema = z
  .object({
    locales: z.array(LocaleSchema).optional(),
    regions: z.array(RegionSchema).optional(),
    rules: z.record(RuleIdSchema, RuleSettingSchema),
  })
  .strict();

/** The JSON part of a lint config (code rules come in through `plugins`). */
export const ConfigDataSchema = z
  .object({
    $schema: z.string().optional().describe('The JSON Schema of this file, for editors'),
    name: z.string().min(1).max(200).optional(),
    extends: z
      .array(z.union([z.string(), z.record(z.string(), z.unknown())]))
      .optional()
      .describe('Preset names ("hubspoke/recommended", "hubspoke/strict") or configs, applied first and in order'),
    minLevel: SeveritySchema.optional().describe('Diagnostics at this level or above fail the run (default "error")'),
    rules: z
      .record(RuleIdSchema, RuleSettingSchema)
      .optional()
      .describe('Rule settings by id: a level, [level, options] or { level, options, scope }'),
    dataRules: z.record(RuleIdSchema, DataRuleSchema).optional().describe('Vale-style rules as data, by id'),
    roles: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/), SlotRoleSchema)
      .optional()
      .describe('Slot roles that win over inference: {"hero.headline": "heading", "legal": "footer"}'),
    overrides: z.array(OverrideSchema).optional().describe('Rule settings for some locales and/or regions only'),
    nonOverridable: z
      .array(RuleIdSchema)
      .optional()
      .describe('Rules whose errors no one may override, whatever their role'),
    plugins: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'expected a plugin name like "acme"' }),
        z.object({ rules: z.record(z.string(), z.unknown()) }),
      )
      .optional()
      .describe('Code rules by namespace (JavaScript configs only)'),
  })
  .strict();
