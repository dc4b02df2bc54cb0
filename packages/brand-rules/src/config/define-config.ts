import { HubspokeError, formatIssues, parse, type Severity } from '@hubspoke/core';
import type { z } from 'zod';
import type { RuleModule, SlotRole } from '../types.js';
import {
  ConfigDataSchema,
  DataRuleSchema,
  RuleSettingSchema,
  type DataRule,
  type DataRuleInput,
  type RuleSetting,
} from './schema.js';

/** A plugin: code rules under a namespace, used as `<namespace>/<rule>`. */
export interface Plugin {
  readonly rules: Readonly<Record<string, RuleModule>>;
}

/** One override: rule settings for some locales and/or regions only. */
export interface ConfigOverride {
  readonly locales?: readonly string[];
  readonly regions?: readonly string[];
  readonly rules: Readonly<Record<string, RuleSetting>>;
}

/** A lint config as written: a hub preset, a regional overlay or a local file. */
export interface LintConfig {
  readonly $schema?: string;
  readonly name?: string;
  /** Applied first, in order: preset names (`hubspoke/recommended`, `hubspoke/strict`) or configs. */
  readonly extends?: readonly (string | LintConfig)[];
  /** Diagnostics at this level or above fail the run (default `error`). */
  readonly minLevel?: Severity;
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  /** Vale-style rules as data, by id. */
  readonly dataRules?: Readonly<Record<string, DataRuleInput>>;
  readonly plugins?: Readonly<Record<string, Plugin>>;
  /** Slot roles that win over inference: `{"hero.headline": "heading", "legal": "footer"}`. */
  readonly roles?: Readonly<Record<string, SlotRole>>;
  readonly overrides?: readonly ConfigOverride[];
  /** Rules whose errors no one may override. */
  readonly nonOverridable?: readonly string[];
}

/** One rule's resolved setting. */
export interface ResolvedSetting {
  readonly level: 'error' | 'warning' | 'suggestion' | 'off';
  readonly options: unknown;
  readonly scope: readonly string[] | undefined;
  /** Where it was set, for error messages. */
  readonly path: string;
}

/** A config with `extends` flattened: what the linter runs. */
export interface ResolvedConfig {
  readonly minLevel: Severity;
  readonly rules: ReadonlyMap<string, ResolvedSetting>;
  readonly dataRules: ReadonlyMap<string, DataRule>;
  readonly plugins: ReadonlyMap<string, RuleModule>;
  readonly roles: Readonly<Record<string, SlotRole>>;
  readonly overrides: readonly (ConfigOverride & { readonly path: string })[];
  readonly nonOverridable: ReadonlySet<string>;
}

const RESOLVED = Symbol.for('hubspoke.brand-rules.resolved-config');

/**
 * Declares a config (typed, checked): use it for a hub preset, a regional overlay or a local
 * file, chaining them with `extends`. Throws `E_VALIDATION` naming the bad path.
 */
export function defineConfig(config: LintConfig): LintConfig {
  checkConfigShape(config, 'config');
  return config;
}

function checkConfigShape(config: unknown, path: string): void {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new HubspokeError('E_VALIDATION', `Invalid ${path}: expected a config object`, { path });
  }
  const result = ConfigDataSchema.safeParse(config, { reportInput: true });
  if (!result.success) throw configError(path, result.error, ConfigDataSchema);
}

function configError(path: string, error: z.ZodError, schema: z.ZodType): HubspokeError {
  const issues = formatIssues(path, error.issues, schema);
  return new HubspokeError(
    'E_VALIDATION',
    `Invalid ${path.split('.')[0] ?? path}: ${issues.map((i) => i.message).join('; ')}`,
    { path: issues[0]?.path ?? path, details: { issues } },
  );
}

function normalizeSetting(setting: RuleSetting, previous: ResolvedSetting | undefined, path: string): ResolvedSetting {
  // A bad setting is E_VALIDATION naming its path (a raw ZodError escaped here).
  const parsed = parse(RuleSettingSchema, setting, path);
  if (typeof parsed === 'string') return { level: parsed, options: previous?.options, scope: previous?.scope, path };
  if (Array.isArray(parsed)) {
    const [level, options] = parsed;
    return { level, options: parsed.length > 1 ? options : previous?.options, scope: previous?.scope, path };
  }
  const object = parsed as { level?: ResolvedSetting['level']; options?: unknown; scope?: string[] };
  return {
    level: object.level ?? previous?.level ?? 'error',
    options: 'options' in object ? object.options : previous?.options,
    scope: object.scope ?? previous?.scope,
    path,
  };
}

interface Accumulator {
  minLevel: Severity | undefined;
  rules: Map<string, ResolvedSetting>;
  dataRules: Map<string, DataRule>;
  plugins: Map<string, RuleModule>;
  roles: Record<string, SlotRole>;
  overrides: (ConfigOverride & { path: string })[];
  nonOverridable: Set<string>;
}

function keyPath(base: string, key: string): string {
  return `${base}[${JSON.stringify(key)}]`;
}

function merge(
  config: LintConfig,
  path: string,
  presets: Readonly<Record<string, LintConfig>>,
  acc: Accumulator,
  seen: Set<LintConfig>,
): void {
  checkConfigShape(config, path);
  if (seen.has(config)) throw new HubspokeError('E_VALIDATION', `Invalid ${path}: a config extends itself`, { path });
  seen.add(config);
  (config.extends ?? []).forEach((parent, i) => {
    const at = `${path}.extends[${i}]`;
    if (typeof parent === 'string') {
      const preset = presets[parent];
      if (preset === undefined) {
        throw new HubspokeError(
          'E_VALIDATION',
          `Invalid ${at}: unknown preset ${JSON.stringify(parent)}; expected one of ${Object.keys(presets)
            .map((p) => JSON.stringify(p))
            .join(' | ')}`,
          { path: at },
        );
      }
      merge(preset, `preset ${parent}`, presets, acc, seen);
    } else {
      merge(parent, at, presets, acc, seen);
    }
  });
  seen.delete(config);
  if (config.minLevel !== undefined) acc.minLevel = config.minLevel;
  for (const [namespace, plugin] of Object.entries(config.plugins ?? {})) {
    for (const [name, rule] of Object.entries(plugin.rules)) acc.plugins.set(`${namespace}/${name}`, rule);
  }
  for (const [id, input] of Object.entries(config.dataRules ?? {})) {
    const at = keyPath(`${path}.dataRules`, id);
    const result = DataRuleSchema.safeParse(input, { reportInput: true });
    if (!result.success) throw configError(at, result.error, DataRuleSchema);
    acc.dataRules.set(id, result.data);
  }
  for (const [id, setting] of Object.entries(config.rules ?? {})) {
    acc.rules.set(id, normalizeSetting(setting, acc.rules.get(id), keyPath(`${path}.rules`, id)));
  }
  Object.assign(acc.roles, config.roles ?? {});
  (config.overrides ?? []).forEach((o, i) => acc.overrides.push({ ...o, path: `${path}.overrides[${i}]` }));
  for (const id of config.nonOverridable ?? []) acc.nonOverridable.add(id);
}

/**
 * Flattens `extends` (each parent first, later configs win) into the config the linter runs.
 * A setting that gives only a level keeps the options set before it, as in ESLint.
 */
export function flattenConfig(config: LintConfig, presets: Readonly<Record<string, LintConfig>>): ResolvedConfig {
  if (isResolvedConfig(config)) return config;
  const acc: Accumulator = {
    minLevel: undefined,
    rules: new Map(),
    dataRules: new Map(),
    plugins: new Map(),
    roles: {},
    overrides: [],
    nonOverridable: new Set(),
  };
  merge(config, 'config', presets, acc, new Set());
  const resolved: ResolvedConfig = {
    minLevel: acc.minLevel ?? 'error',
    rules: acc.rules,
    dataRules: acc.dataRules,
    plugins: acc.plugins,
    roles: acc.roles,
    overrides: acc.overrides,
    nonOverridable: acc.nonOverridable,
  };
  Object.defineProperty(resolved, RESOLVED, { value: true });
  return resolved;
}

export function isResolvedConfig(value: unknown): value is ResolvedConfig {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RESOLVED] === true;
}

/** Settings for one locale and region: overrides whose filters match are applied in order. */
export function settingsFor(
  config: ResolvedConfig,
  locale: string,
  region: string | undefined,
): { key: string; rules: Map<string, ResolvedSetting> } {
  const rules = new Map(config.rules);
  const applied: number[] = [];
  config.overrides.forEach((o, i) => {
    const localeOk = o.locales === undefined || o.locales.some((l) => l === locale || locale.startsWith(`${l}-`));
    const regionOk = o.regions === undefined || (region !== undefined && o.regions.includes(region));
    if (!localeOk || !regionOk) return;
    applied.push(i);
    for (const [id, setting] of Object.entries(o.rules))
      rules.set(id, normalizeSetting(setting, rules.get(id), keyPath(`${o.path}.rules`, id)));
  });
  return { key: applied.join(','), rules };
}
