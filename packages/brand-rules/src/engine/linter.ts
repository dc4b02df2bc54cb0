import {
  BrandKitSchema,
  DraftSchema,
  HubspokeError,
  isHubspokeError,
  PrincipalSchema,
  RenderedEmailSchema,
  TemplateSchema,
  checkArgs,
  compareDiagnostics,
  describeValue,
  countDiagnostics,
  formatIssues,
  parse,
  can,
  resolveOperatingModel,
  type BrandKit,
  type Diagnostic,
  type DiagnosticCounts,
  type Draft,
  type Fix,
  type Location,
  type OperatingModel,
  type Principal,
  type RenderedEmail,
  type Severity,
} from '@hubspoke/core';
import { z } from 'zod';
import { flattenConfig, settingsFor, type LintConfig, type ResolvedConfig } from '../config/define-config.js';
import { presets } from '../config/presets.js';
import { buildDocument, type BuiltDocument } from '../document/build-document.js';
import { escapeFor, LineIndex, locationKey } from '../document/source-text.js';
import { templateInfo, type TemplateInfo } from '../document/template-info.js';
import { TermAutomaton } from '../matcher/aho-corasick.js';
import { foldCase } from '../matcher/fold.js';
import { compileDataRule } from '../rules/data-rules.js';
import { builtinRules, engineRules } from '../rules/index.js';
import { compileScope, DEFAULT_TEXT_SCOPE, inScope, type ScopeSelector } from '../scope.js';
import type {
  EditTarget,
  FixDescriptor,
  ReportDescriptor,
  RuleContext,
  RuleModule,
  RuleVisitors,
  SuppressedDiagnostic,
  TermSpec,
  TextUnit,
} from '../types.js';
import { applyFixes, type Fixable } from './apply-fixes.js';
import { applyBaseline, type Baseline } from './baseline.js';
import { applyDirectives, parseDirectives } from './suppressions.js';

const ORIGIN = '@hubspoke/brand-rules';
const MAX_FIX_PASSES = 10;
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, suggestion: 2 };

export interface LinterOptions {
  /** The hub's brand kit (validated with core's `BrandKitSchema`). */
  readonly brandKit: unknown;
  /** A config from `defineConfig`; defaults to `{ extends: ['hubspoke/recommended'] }`. */
  readonly config?: LintConfig;
  /** The template drafts pin: slot roles for scopes, and locked-content checks. */
  readonly template?: unknown;
}

export interface LintInput {
  readonly draft?: unknown;
  /** One rendered email, or one per locale. */
  readonly rendered?: unknown;
  /** Overrides the linter's template for this call. */
  readonly template?: unknown;
  /** Only these locales (default: every locale of the draft and the rendered emails). */
  readonly locales?: readonly string[];
  /** The draft's region, when the draft does not say (licences, legal text, overrides). */
  readonly region?: string;
  /** A name for the linted source in locations and baselines, e.g. a file path. */
  readonly file?: string;
  /** Today, for asset expiry (default: now). */
  readonly now?: Date | string;
  /** Apply safe fixes and return the fixed inputs. */
  readonly fix?: boolean;
  /** Known violations to leave out (see `createBaseline`). */
  readonly baseline?: Baseline;
  /** With `operatingModel`: mark which diagnostics this principal may override. */
  readonly principal?: unknown;
  /** A preset name (`hybrid`…) or a model. */
  readonly operatingModel?: unknown;
}

export interface LintResult {
  /** Remaining findings, sorted by location. */
  readonly diagnostics: Diagnostic[];
  readonly counts: DiagnosticCounts;
  /** Whether any diagnostic is at `minLevel` or above. */
  readonly failed: boolean;
  readonly minLevel: Severity;
  /** Findings an inline directive suppressed, with its reason. */
  readonly suppressed: SuppressedDiagnostic[];
  /** Findings the baseline left out. */
  readonly baselined: Diagnostic[];
  /** The text a location points into (for code frames). */
  readonly sourceText: (location: Location) => string | undefined;
  /** With `fix: true`: the inputs after safe fixes, and how many edits were applied. */
  readonly fixed?: { readonly draft?: Draft; readonly rendered: RenderedEmail[]; readonly edits: number };
}

interface ActiveRule {
  readonly id: string;
  readonly module: RuleModule;
  readonly severity: Severity;
  readonly options: unknown;
  readonly scope: ScopeSelector;
}

interface TermEntry {
  readonly rule: ActiveRule;
  readonly spec: TermSpec;
}

interface RuleSet {
  readonly rules: readonly ActiveRule[];
  readonly matchers: readonly {
    readonly selector: ScopeSelector;
    readonly automaton: TermAutomaton;
    readonly entries: readonly TermEntry[];
  }[];
  readonly levels: ReadonlyMap<string, Severity | 'off'>;
}

/**
 * What {@link Linter.lintValidated} takes: {@link LintInput} whose draft and rendered emails are
 * already the output of core's `DraftSchema` and `RenderedEmailSchema`.
 */
export interface ValidatedLintInput extends Omit<LintInput, 'draft' | 'rendered'> {
  readonly draft?: Draft;
  readonly rendered?: RenderedEmail | readonly RenderedEmail[];
}

/** A linter bound to one brand kit and config: rules, options and term matchers are compiled once. */
export interface Linter {
  /** Lints a draft and/or rendered emails; validates all of its input (`E_VALIDATION` naming the path). */
  lint(input?: LintInput): LintResult;
  /**
   * `lint` for a caller that has just validated the draft and the rendered emails with core's
   * `DraftSchema` and `RenderedEmailSchema` itself (the server, validating a request body): they
   * are used as given, not validated a second time. Everything else is checked as `lint` checks
   * it. Input from anywhere else goes to `lint`: a draft or email the schemas would refuse gets
   * findings that mean nothing, or an `E_VALIDATION` (path `input`) where it trips the linter;
   * never a raw error.
   */
  lintValidated(input: ValidatedLintInput): LintResult;
  /** Every rule the config can refer to, by id. */
  readonly rules: ReadonlyMap<string, RuleModule>;
  readonly config: ResolvedConfig;
  readonly brandKit: BrandKit;
}

function optionsError(path: string, error: z.ZodError, schema: z.ZodType): HubspokeError {
  const issues = formatIssues(path, error.issues, schema);
  return new HubspokeError('E_VALIDATION', `Invalid rule options: ${issues.map((i) => i.message).join('; ')}`, {
    path: issues[0]?.path ?? path,
    details: { issues },
  });
}

function closest(id: string, known: Iterable<string>): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0] ?? 0;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = row[j] ?? 0;
        row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    return row[b.length] ?? Infinity;
  };
  let best: string | undefined;
  let bestDistance = 4;
  for (const k of known) {
    const d = distance(id, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function formatMessage(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) =>
    data !== undefined && name in data ? String(data[name]) : all,
  );
}

function toArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const isList = (value: RenderedEmail | readonly RenderedEmail[]): value is readonly RenderedEmail[] =>
  Array.isArray(value);

function localeMatches(locales: readonly string[] | undefined, locale: string): boolean {
  return locales === undefined || locales.some((l) => l === locale || locale.startsWith(`${l}-`));
}

/**
 * Creates a linter for one brand kit and config. Validates both (unknown rule ids, bad
 * options and invalid kits throw `E_VALIDATION` naming the path) and compiles each rule
 * set's term lists into one matcher per scope.
 */
/** How many templates a linter keeps validated (see `templateOf` in {@link createLinter}). */
const TEMPLATE_MEMO = 16;

export function createLinter(options: LinterOptions): Linter {
  const brandKit = parse(BrandKitSchema, options.brandKit, 'brandKit');
  const config = flattenConfig(options.config ?? { extends: ['hubspoke/recommended'] }, presets);
  const defaultTemplate =
    options.template === undefined ? undefined : parse(TemplateSchema, options.template, 'template');

  const registry = new Map<string, RuleModule>();
  for (const [id, rule] of Object.entries(builtinRules)) registry.set(id, rule);
  for (const [id, rule] of Object.entries(engineRules)) registry.set(id, rule);
  for (const [id, rule] of config.plugins) registry.set(id, rule);
  for (const [id, rule] of config.dataRules) registry.set(id, compileDataRule(id, rule));

  const checkKnown = (id: string, path: string) => {
    if (registry.has(id)) return;
    const hint = closest(id, registry.keys());
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid ${path}: unknown rule ${JSON.stringify(id)}${hint === undefined ? '' : `; did you mean ${JSON.stringify(hint)}?`}`,
      {
        path,
        ...(hint === undefined ? {} : { hint: `Did you mean "${hint}"?` }),
      },
    );
  };
  for (const [id, setting] of config.rules) checkKnown(id, setting.path);
  for (const o of config.overrides)
    for (const id of Object.keys(o.rules)) checkKnown(id, `${o.path}.rules[${JSON.stringify(id)}]`);

  const ruleSets = new Map<string, RuleSet>();
  const ruleSetFor = (locale: string, region: string | undefined): RuleSet => {
    const { key, rules: settings } = settingsFor(config, locale, region);
    const cached = ruleSets.get(key);
    if (cached) return cached;
    const active: ActiveRule[] = [];
    const levels = new Map<string, Severity | 'off'>();
    for (const [id, module] of registry) {
      const setting = settings.get(id);
      const dataLevel = config.dataRules.get(id)?.level;
      const level = setting?.level ?? dataLevel ?? 'off';
      levels.set(id, level);
      if (level === 'off') continue;
      const path = setting?.path ?? `config.dataRules[${JSON.stringify(id)}]`;
      let ruleOptions: unknown = setting?.options;
      if (module.meta.schema !== undefined) {
        const result = module.meta.schema.safeParse(ruleOptions, { reportInput: true });
        if (!result.success) throw optionsError(`${path}.options`, result.error, module.meta.schema);
        ruleOptions = result.data;
      } else if (ruleOptions !== undefined) {
        throw new HubspokeError('E_VALIDATION', `Invalid ${path}.options: rule ${id} takes no options`, {
          path: `${path}.options`,
        });
      }
      const scopeList = setting?.scope ?? config.dataRules.get(id)?.scope ?? module.meta.scope ?? DEFAULT_TEXT_SCOPE;
      active.push({
        id,
        module,
        severity: level,
        options: ruleOptions,
        scope: compileScope(scopeList, `${path}.scope`),
      });
    }
    const byScope = new Map<string, { selector: ScopeSelector; entries: TermEntry[] }>();
    for (const rule of active) {
      if (rule.module.terms === undefined) continue;
      const specs = rule.module.terms(rule.options, brandKit);
      if (specs.length === 0) continue;
      const group = byScope.get(rule.scope.key) ?? { selector: rule.scope, entries: [] };
      for (const spec of specs) group.entries.push({ rule, spec });
      byScope.set(rule.scope.key, group);
    }
    const matchers = [...byScope.values()].map((g) => ({
      selector: g.selector,
      entries: g.entries,
      automaton: new TermAutomaton(
        g.entries.map((e) => ({
          term: e.spec.term,
          caseSensitive: e.spec.caseSensitive,
          nonword: e.spec.nonword === true,
        })),
      ),
    }));
    const set: RuleSet = { rules: active, matchers, levels };
    ruleSets.set(key, set);
    return set;
  };
  // Compile the base rule set now so option errors surface at creation.
  ruleSetFor('und', undefined);

  const lintOnce = (
    draft: Draft | undefined,
    rendered: RenderedEmail[],
    template: TemplateInfo | undefined,
    input: LintInput,
    now: Date,
  ) => {
    const locales = new Set<string>([...Object.keys(draft?.content ?? {}), ...rendered.map((r) => r.locale)]);
    const wanted =
      input.locales === undefined ? [...locales] : [...locales].filter((l) => input.locales?.includes(l) === true);
    const region = draft?.region ?? input.region;
    const diagnostics: Diagnostic[] = [];
    const suppressed: SuppressedDiagnostic[] = [];
    const sources = new Map<string, string>();
    for (const locale of wanted) {
      const built = buildDocument({
        locale,
        region,
        draft,
        rendered: rendered.find((r) => r.locale === locale),
        template,
        file: input.file ?? draft?.id,
      });
      for (const [key, text] of built.sources) sources.set(key, text);
      const set = ruleSetFor(locale, region);
      const found = runRules(set, built, {
        brandKit,
        template,
        draft,
        rendered: rendered.find((r) => r.locale === locale),
        locale,
        region,
        now,
      });
      const { directives, problems } = parseDirectives(built.comments, built.sources, (id) => registry.has(id));
      const { kept, suppressed: hidden } = applyDirectives(found, directives);
      diagnostics.push(...kept);
      suppressed.push(...hidden);
      const invalid = set.levels.get('brand/invalid-suppression');
      for (const p of problems) {
        if (invalid === undefined || invalid === 'off') continue;
        diagnostics.push(
          engineDiagnostic('brand/invalid-suppression', invalid, p.messageId, p.data, p.location, built),
        );
      }
      const unused = set.levels.get('brand/unused-suppression');
      if (unused !== undefined && unused !== 'off') {
        for (const d of directives) {
          if (!d.used)
            diagnostics.push(
              engineDiagnostic(
                'brand/unused-suppression',
                unused,
                'unused',
                { rules: d.rules.length === 0 ? 'all rules' : d.rules.join(', ') },
                d.location,
                built,
              ),
            );
        }
      }
    }
    return { diagnostics, suppressed, sources };
  };

  const engineDiagnostic = (
    ruleId: string,
    severity: Severity,
    messageId: string,
    data: Record<string, string>,
    location: Location,
    built: BuiltDocument,
  ): Diagnostic => {
    const module = registry.get(ruleId);
    const template = module?.meta.messages[messageId] ?? messageId;
    return {
      ruleId,
      severity,
      message: formatMessage(template, data),
      location: withLines(location, built.sources),
      origin: ORIGIN,
    };
  };

  // The template drafts pin is the same for many lints (every check of a draft of it): validated and
  // scanned once, kept by its JSON text (an equal text is an equal template, however the caller built
  // or changed the object), at most TEMPLATE_MEMO of them, least recently used out first.
  const defaultInfo = defaultTemplate === undefined ? undefined : templateInfo(defaultTemplate, config.roles);
  const templates = new Map<string, TemplateInfo>();
  const templateOf = (value: unknown): TemplateInfo => {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined; // cyclic or BigInt: parse reports it
    }
    const known = text === undefined ? undefined : templates.get(text);
    if (text !== undefined && known !== undefined) {
      templates.delete(text);
      templates.set(text, known);
      return known;
    }
    const info = templateInfo(parse(TemplateSchema, value, 'template'), config.roles);
    if (text !== undefined) {
      templates.set(text, info);
      if (templates.size > TEMPLATE_MEMO) templates.delete(templates.keys().next().value ?? '');
    }
    return info;
  };

  const lint = (input: LintInput = {}): LintResult => {
    checkArgs('Linter.lint', ['input:object'], [input]);
    const draft = input.draft === undefined ? undefined : parse(DraftSchema, input.draft, 'draft');
    const renderedList = toArray(input.rendered).map((r, i) =>
      parse(RenderedEmailSchema, r, Array.isArray(input.rendered) ? `rendered[${i}]` : 'rendered'),
    );
    return lintParsed(input, draft, renderedList);
  };

  const lintValidated = (input: ValidatedLintInput): LintResult => {
    checkArgs('Linter.lintValidated', ['input:object'], [input]);
    const rendered: readonly RenderedEmail[] =
      input.rendered === undefined ? [] : isList(input.rendered) ? input.rendered : [input.rendered];
    try {
      return lintParsed(input, input.draft, [...rendered]);
    } catch (error) {
      if (isHubspokeError(error)) throw error;
      throw new HubspokeError(
        'E_VALIDATION',
        "Linter.lintValidated: the draft or a rendered email is not what core's schemas make of one; lint() validates it",
        { path: 'input', cause: error },
      );
    }
  };

  const lintParsed = (input: LintInput, draft: Draft | undefined, renderedList: RenderedEmail[]): LintResult => {
    const template = input.template === undefined ? defaultInfo : templateOf(input.template);
    const given = input.now;
    const now =
      given === undefined
        ? new Date()
        : given instanceof Date || typeof given === 'string'
          ? new Date(given)
          : undefined;
    if (now === undefined || Number.isNaN(now.getTime()))
      throw new HubspokeError('E_VALIDATION', `Invalid now: expected a date, got ${describeValue(given)}`, {
        path: 'now',
      });
    if (input.region !== undefined)
      parse(
        z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'expected a region code like "EMEA"' }),
        input.region,
        'region',
      );
    const principal = input.principal === undefined ? undefined : parse(PrincipalSchema, input.principal, 'principal');
    const model = input.operatingModel === undefined ? undefined : resolveOperatingModel(input.operatingModel);
    if ((principal === undefined) !== (model === undefined)) {
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid ${principal === undefined ? 'principal' : 'operatingModel'}: expected both principal and operatingModel to mark overridable diagnostics`,
        { path: principal === undefined ? 'principal' : 'operatingModel' },
      );
    }

    let current: Fixable = { draft, rendered: renderedList };
    let pass = lintOnce(current.draft, current.rendered, template, input, now);
    let edits = 0;
    if (input.fix === true) {
      for (let i = 0; i < MAX_FIX_PASSES; i++) {
        const { fixed, applied } = applyFixes(pass.diagnostics, current);
        if (applied === 0) break;
        edits += applied;
        current = fixed;
        pass = lintOnce(current.draft, current.rendered, template, input, now);
      }
    }
    let diagnostics = pass.diagnostics.sort(compareDiagnostics);
    let baselined: Diagnostic[] = [];
    if (input.baseline !== undefined) {
      const result = applyBaseline(diagnostics, input.baseline);
      diagnostics = result.diagnostics;
      baselined = result.baselined;
    }
    if (principal !== undefined && model !== undefined)
      diagnostics = markOverridable(diagnostics, principal, model, draft, input.region, config, registry);
    const counts = countDiagnostics(diagnostics);
    const failed = diagnostics.some((d) => SEVERITY_RANK[d.severity] <= SEVERITY_RANK[config.minLevel]);
    const sources = pass.sources;
    const sourceText = (location: Location) => sources.get(locationKey(location));
    const result: LintResult = {
      diagnostics,
      counts,
      failed,
      minLevel: config.minLevel,
      suppressed: pass.suppressed,
      baselined,
      sourceText,
    };
    if (input.fix !== true) return result;
    return {
      ...result,
      fixed: { ...(current.draft === undefined ? {} : { draft: current.draft }), rendered: current.rendered, edits },
    };
  };

  return { lint, lintValidated, rules: registry, config, brandKit };
}

/** Marks each diagnostic with whether `principal` may override it (`lint.override` on the draft's region, team and author). */
function markOverridable(
  diagnostics: Diagnostic[],
  principal: Principal,
  model: OperatingModel,
  draft: Draft | undefined,
  region: string | undefined,
  config: ResolvedConfig,
  registry: ReadonlyMap<string, RuleModule>,
): Diagnostic[] {
  const decision = canOverride(principal, model, {
    region: draft?.region ?? region,
    team: draft?.team,
    ownerId: draft?.author,
  });
  return diagnostics.map((d) => {
    const never = config.nonOverridable.has(d.ruleId) || registry.get(d.ruleId)?.meta.overridable === false;
    return { ...d, overridable: decision && !never };
  });
}

function canOverride(
  principal: Principal,
  model: OperatingModel,
  resource: { region: string | undefined; team: string | undefined; ownerId: string | undefined },
): boolean {
  return can(model, principal, 'lint.override', resource).allowed;
}

const lineIndexes = new WeakMap<Map<string, string>, Map<string, LineIndex>>();

/** Adds 1-based line/column to a location whose text is known. */
function withLines(location: Location, sources: Map<string, string>): Location {
  if (location.start === undefined) return location;
  const key = locationKey(location);
  const text = sources.get(key);
  if (text === undefined) return location;
  let perSource = lineIndexes.get(sources);
  if (perSource === undefined) {
    perSource = new Map();
    lineIndexes.set(sources, perSource);
  }
  let index = perSource.get(key);
  if (index === undefined) {
    index = new LineIndex(text);
    perSource.set(key, index);
  }
  const start = index.position(location.start);
  const end = index.position(location.end ?? location.start);
  return { ...location, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

interface RunContext {
  readonly brandKit: BrandKit;
  readonly template: TemplateInfo | undefined;
  readonly draft: Draft | undefined;
  readonly rendered: RenderedEmail | undefined;
  readonly locale: string;
  readonly region: string | undefined;
  readonly now: Date;
}

function toFix(fix: FixDescriptor): Fix {
  const escaped = escapeFor(fix.target.escape, fix.text);
  const text =
    fix.target.insert === undefined ? escaped : `${fix.target.insert.before}${escaped}${fix.target.insert.after}`;
  return {
    description: fix.description,
    location: fix.target.location,
    edits: [{ start: fix.target.start, end: fix.target.end, text }],
  };
}

/** Runs every active rule over one locale's document: one pass per visitor kind, one matcher scan per scope. */
function runRules(set: RuleSet, built: BuiltDocument, run: RunContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const { document } = built;
  const unitCache = new Map<string, readonly TextUnit[]>();
  const unitsIn = (selector: ScopeSelector): readonly TextUnit[] => {
    let units = unitCache.get(selector.key);
    if (units === undefined) {
      units = document.units.filter((u) => inScope(selector, u.scopes));
      unitCache.set(selector.key, units);
    }
    return units;
  };
  const crashed = new Set<string>();
  const visitors = new Map<string, RuleVisitors>();

  const crash = (rule: ActiveRule, error: unknown) => {
    if (crashed.has(rule.id)) return;
    crashed.add(rule.id);
    visitors.delete(rule.id);
    const message = error instanceof Error ? error.message : String(error);
    diagnostics.push({
      ruleId: rule.id,
      severity: 'error',
      message: `Rule ${rule.id} crashed and was skipped for ${run.locale}: ${message.slice(0, 500)}`,
      location: { locale: run.locale, source: 'config' },
      data: { crashed: true },
      origin: ORIGIN,
    });
  };

  for (const rule of set.rules) {
    const report = (descriptor: ReportDescriptor): void => {
      const meta = rule.module.meta;
      const template = descriptor.messageId === undefined ? descriptor.message : meta.messages[descriptor.messageId];
      if (template === undefined) throw new Error(`unknown messageId ${JSON.stringify(descriptor.messageId)}`);
      if (descriptor.fix !== undefined && meta.fixable === undefined)
        throw new Error('reported a fix but meta.fixable is not set');
      if (descriptor.suggest !== undefined && descriptor.suggest.length > 0 && meta.hasSuggestions !== true)
        throw new Error('reported suggestions but meta.hasSuggestions is not true');
      let location: Location;
      if ('unit' in descriptor.at) {
        const range = descriptor.at.unit.map.locate(descriptor.at.start, descriptor.at.end);
        location = { ...descriptor.at.unit.location, start: range.start, end: range.end };
      } else {
        location = descriptor.at.location;
      }
      const diagnostic: Diagnostic = {
        ruleId: rule.id,
        severity: rule.severity,
        message: formatMessage(template, descriptor.data).slice(0, 2000),
        location: withLines(location, built.sources),
        origin: ORIGIN,
        ...(meta.docs.url === undefined ? {} : { docsUrl: meta.docs.url }),
        ...(descriptor.fix === undefined ? {} : { fix: toFix(descriptor.fix) }),
        ...(descriptor.suggest === undefined || descriptor.suggest.length === 0
          ? {}
          : { suggestions: descriptor.suggest.map(toFix) }),
        ...(descriptor.facts === undefined ? {} : { data: descriptor.facts }),
      };
      diagnostics.push(diagnostic);
    };
    const context: RuleContext<unknown> = {
      id: rule.id,
      options: rule.options,
      severity: rule.severity,
      brandKit: run.brandKit,
      template: run.template?.template,
      draft: run.draft,
      rendered: run.rendered,
      document,
      locale: run.locale,
      region: run.region,
      now: run.now,
      get units() {
        return unitsIn(rule.scope);
      },
      unitsIn: (scope) => unitsIn(compileScope(scope)),
      report,
      unitTarget(unit: TextUnit, start: number, end: number): EditTarget | undefined {
        const range = unit.map.locate(start, end);
        if (!range.contiguous) return undefined;
        return { location: unit.location, start: range.start, end: range.end, escape: unit.escape };
      },
    };
    try {
      visitors.set(rule.id, rule.module.create(context));
    } catch (error) {
      crash(rule, error);
    }
  }

  const call = (rule: ActiveRule, fn: () => void) => {
    if (crashed.has(rule.id)) return;
    try {
      fn();
    } catch (error) {
      crash(rule, error);
    }
  };

  for (const rule of set.rules) {
    const v = visitors.get(rule.id);
    if (v?.text === undefined) continue;
    const text = v.text.bind(v);
    for (const unit of unitsIn(rule.scope))
      call(rule, () => {
        text(unit);
      });
  }
  if (set.matchers.length > 0) {
    for (const unit of document.units) {
      let folded: string | undefined;
      for (const matcher of set.matchers) {
        if (!inScope(matcher.selector, unit.scopes)) continue;
        folded ??= foldCase(unit.text);
        for (const hit of matcher.automaton.scan(unit.text, folded)) {
          const entry = matcher.entries[hit.pattern];
          if (entry === undefined || !localeMatches(entry.spec.locales, run.locale)) continue;
          const v = visitors.get(entry.rule.id);
          if (v?.term === undefined) continue;
          const term = v.term.bind(v);
          call(entry.rule, () => {
            term({ unit, start: hit.start, end: hit.end, text: unit.text.slice(hit.start, hit.end), spec: entry.spec });
          });
        }
      }
    }
  }
  for (const rule of set.rules) {
    const v = visitors.get(rule.id);
    if (v === undefined) continue;
    if (v.image) for (const image of document.images) call(rule, () => v.image?.(image));
    if (v.link) for (const link of document.links) call(rule, () => v.link?.(link));
    if (v.style) for (const style of document.styles) call(rule, () => v.style?.(style));
  }
  for (const rule of set.rules) {
    const v = visitors.get(rule.id);
    if (v?.end) call(rule, () => v.end?.());
  }
  return diagnostics;
}

/** Lints in one call (compiles a linter each time: reuse `createLinter` for many emails). */
export function lint(input: LinterOptions & LintInput): LintResult {
  return createLinter(input).lint(input);
}
