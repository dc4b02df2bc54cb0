import { LocaleSchema, RegionSchema, SeveritySchema } from '@hubspoke/core';
import { z } from 'zod';
import { isScopeName } from '../scope.js';

export const LevelSchema = z.enum(['error', 'warning', 'suggestion', 'off']);

const RuleIdSchema = z.string().regex(/^[a-z][a-z0-9-]*\/[a-z0-9][a-z0-9/-]*$/, { error: 'expected a rule id like "acme/no-lorem"' });

export const ScopeListSchema = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((s) => (typeof s === 'string' ? [s] : s))
  .pipe(z.array(z.string().refine(isScopeName, { error: 'expected a scope: subject, preheader, heading, body, cta, alt, link.href, footer, module:<id> or slot:<id>, optionally negated with ~' })));

/** `'error'`, `['warning', options]` or `{ level, options, scope }`. */
export const RuleSettingSchema = z.union([
  LevelSchema,
  z.tuple([LevelSchema]).rest(z.unknown()),
  z.object({ level: LevelSchema.optional(), options: z.unknown().optional(), scope: ScopeListSchema.optional() }).strict(),
]);
export type RuleSetting = z.input<typeof RuleSettingSchema>;

const RegexSchema = z.string().min(1).max(2000).refine(
  (source) => {
    try {
      new RegExp(source, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { error: 'expected a valid JavaScript regular expression' },
);

const TokenSchema = z.union([z.string().min(1).max(200), z.object({ term: z.string().min(1).max(200), caseSensitive: z.boolean() }).strict()]);

const dataRuleBase = {
  /** `%s` is replaced by the matched text (substitution: the replacement, then the match). */
  message: z.string().min(1).max(500),
  level: z.enum(['error', 'warning', 'suggestion']).default('warning'),
  scope: ScopeListSchema.optional(),
  description: z.string().max(500).optional(),
  link: z.string().max(1000).optional(),
};

/** Vale's rule kinds, as data. */
export const DataRuleSchema = z.discriminatedUnion('kind', [
  z.object({ ...dataRuleBase, kind: z.literal('existence'), tokens: z.array(TokenSchema).min(1), caseSensitive: z.boolean().default(false), nonword: z.boolean().default(false), exceptions: z.array(z.string()).default([]) }).strict(),
  z.object({ ...dataRuleBase, kind: z.literal('substitution'), swap: z.record(z.string().min(1).max(200), z.string().max(200)).refine((s) => Object.keys(s).length > 0, { error: 'expected at least one swap' }), caseSensitive: z.boolean().default(false) }).strict(),
  z.object({ ...dataRuleBase, kind: z.literal('occurrence'), token: RegexSchema, ignorecase: z.boolean().default(false), min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).strict(),
  z.object({ ...dataRuleBase, kind: z.literal('consistency'), either: z.record(z.string().min(1).max(200), z.string().min(1).max(200)).refine((s) => Object.keys(s).length > 0, { error: 'expected at least one pair' }), caseSensitive: z.boolean().default(false) }).strict(),
  z.object({ ...dataRuleBase, kind: z.literal('conditional'), first: RegexSchema, second: RegexSchema, exceptions: z.array(z.string()).default([]) }).strict(),
  z.object({ ...dataRuleBase, kind: z.literal('capitalization'), match: z.union([z.enum(['$title', '$sentence', '$lower', '$upper']), RegexSchema]), exceptions: z.array(z.string()).default([]) }).strict(),
  z.object({ ...dataRuleBase, kind: z.literal('readability'), metrics: z.array(z.enum(['flesch-kincaid', 'gunning-fog', 'coleman-liau', 'smog', 'automated-readability'])).min(1).default(['flesch-kincaid']), grade: z.number().positive().max(30), minWords: z.number().int().min(1).default(30) }).strict(),
  z.object({ ...dataRuleBase, kind: z.literal('pattern'), pattern: RegexSchema, ignorecase: z.boolean().default(false), replace: z.string().max(500).optional() }).strict(),
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
    $schema: z.string().optional(),
    name: z.string().min(1).max(200).optional(),
    extends: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).optional(),
    /** Diagnostics at this level or above fail the run. */
    minLevel: SeveritySchema.optional(),
    rules: z.record(RuleIdSchema, RuleSettingSchema).optional(),
    dataRules: z.record(RuleIdSchema, DataRuleSchema).optional(),
    /** Slot roles that win over inference: `{"hero.headline": "heading", "legal": "footer"}`. */
    roles: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/), SlotRoleSchema).optional(),
    overrides: z.array(OverrideSchema).optional(),
    /** Rules whose errors no one may override, whatever their role. */
    nonOverridable: z.array(RuleIdSchema).optional(),
    plugins: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'expected a plugin name like "acme"' }), z.object({ rules: z.record(z.string(), z.unknown()) })).optional(),
  })
  .strict();
