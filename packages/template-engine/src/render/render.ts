import {
  DialectSchema,
  DraftSchema,
  HubspokeError,
  IdSchema,
  LocaleContentSchema,
  LocaleSchema,
  SampleContactSchema,
  SlotValueSchema,
  describeValue,
  emailContentHash,
  normalizeHexColor,
  parse,
  type Diagnostic,
  type Dialect,
  type Draft,
  type FieldMap,
  type ImageValue,
  type LinkValue,
  type Location,
  type RenderedEmail,
  type SampleContact,
  type SlotValue,
  type Template,
  DarkPaletteSchema,
  type DarkColorPair,
} from '@hubspoke/core';
import { checkSize } from '../checks/size.js';
import { diagnostic } from '../diagnostics.js';
import { resolveDraft, resolveField, resolveSlot, type ResolvedDraft, type ResolvedSlot } from '../draft/resolve.js';
import {
  Sink,
  compileInto,
  compileNodes,
  type CompileEnv,
  type CompileIssue,
  type ContactFields,
  type OutputContext,
} from '../personalization/compile.js';
import { LOOKAHEAD, escapeHtml, escapeText, headerSafe } from '../personalization/escape.js';
import { resolveFieldMap } from '../personalization/field-map.js';
import { headerScriptToken, type ScriptTokenOutput } from '../personalization/velocity.js';
import type { DynamicContentOutput } from '../personalization/dynamic-content.js';
import {
  compileTemplate,
  type CompiledModule,
  type CompiledSlot,
  type CompiledTemplate,
} from '../template/compiled.js';
import { emitMjml, type HoleRef } from './emit.js';
import { foreignAmong, foreignConstructs, foreignInCompiled, type Piece } from './live-check.js';
import {
  hasBracket,
  lexTracked,
  relex,
  relexSpan,
  relexWindow,
  type Lexed,
  type LiveConstruct,
} from '../personalization/dialect-lexer.js';
import { tidyPlainText } from './plain-text.js';
import { Assembly } from './assembly.js';
import {
  compileFull,
  convertFullText,
  darkSkeleton,
  defaultSkeletonCache,
  type Skeleton,
  type SkeletonSource,
  type Split,
} from './skeleton.js';
import { addDarkClasses, applyDarkScheme, darkSchemeOf, type DarkScheme } from './dark-mode.js';
import { fixedValueOf, sameFixed, structureOf, type Structure } from './structure.js';
import { neutralizeLive, processTrusted } from './trusted.js';
import { utf8Length } from './utf8.js';
import {
  processLiteral,
  processRichText,
  processText,
  processUrl,
  type ProcessedValue,
  type TokenPart,
} from './values.js';

export interface RenderOptions {
  /** Defaults to the draft's default locale. */
  locale?: string;
  /** Defaults to `preview`. */
  dialect?: Dialect;
  /** How neutral fields are named per platform (core `FieldMap`), layered over the built-in defaults. */
  fieldMap?: FieldMap;
  /** Preview only: whose data fills the tokens. Without one, fallbacks and else-branches show. */
  sampleContact?: SampleContact;
  /** Mark each slot's element with `data-hs-slot="<instanceId>/<slotId>"` (preview studio; never for production). */
  annotate?: boolean;
  /** Where compiled skeletons come from; a shared mjml-compiling cache by default (a browser passes a remote source). */
  cache?: SkeletonSource;
  /**
   * The brand's dark scheme as light → dark colour pairs (brand-rules `darkPalette(brandKit)`
   * resolves a kit's `darkMode`). With pairs, the HTML carries the `color-scheme` metas,
   * `prefers-color-scheme: dark` rules and Outlook.com `[data-ogsc]`/`[data-ogsb]` rules.
   */
  darkMode?: readonly DarkColorPair[];
}

/** What fills one hole: a processed value, the context it lands in, and where it came from. */
interface HoleValue {
  value: ProcessedValue;
  context: OutputContext;
  instanceId?: string;
  moduleId?: string;
  slotId?: string;
  property?: string;
  field?: 'subject' | 'preheader';
}

/** One filled hole (or field) for the session's dialect. */
interface Output {
  text: string;
  /** UTF-8 size of `text`. */
  bytes: number;
  diagnostics: Diagnostic[];
  hole: HoleValue | undefined;
  /** Offsets (start, end pairs) of spoke text in `text`. */
  data: number[];
  /** Offsets (start, end pairs) of code the compiler wrote in `text`; the rest is the hub's. */
  code: number[];
  /** Marketo: the email script tokens `text` references. */
  scripts?: readonly ScriptTokenOutput[];
  /** Eloqua: the dynamic contents whose placeholders `text` holds. */
  dynamicContents?: readonly DynamicContentOutput[];
}

/** One skeleton-based output as last verified: its skeleton, its filled holes and its lexing. */
interface VerifiedSplit {
  split: Split;
  outputs: readonly Output[];
  lexed: Lexed;
  /** Where each hole's text starts in the output (never changed once made; a plain array, as a typed one costs an allocation outside the heap). */
  starts: number[];
  /** The output's length. */
  length: number;
}

/** A session's own verified output: what was verified, from which assembly, as of which of its marks. */
interface OwnSplit {
  verified: VerifiedSplit;
  assembly: Assembly<Output>;
  mark: number;
}

interface Verified {
  html: OwnSplit;
  text: OwnSplit;
  subject: Output;
  preheader: Output;
}

function sameSpans(x: readonly number[], y: readonly number[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Two filled holes that read the same to the check: same text, same spoke and code spans. */
function sameOutput(x: Output, y: Output): boolean {
  return x.text === y.text && sameSpans(x.data, y.data) && sameSpans(x.code, y.code);
}

const IMAGE_SCHEMES = ['https', 'http'] as const;
const NOTHING: ProcessedValue = { html: [], text: [], issues: [] };
const NO_OUTPUT: Output = { text: '', bytes: 0, diagnostics: [], hole: undefined, data: [], code: [] };

/** The value for one hole of the skeleton, or undefined when the hole has nothing to show. */
function holeValue(
  compiled: CompiledTemplate,
  resolved: ResolvedDraft,
  ref: HoleRef,
  mode: 'html' | 'text',
  diagnostics: Diagnostic[],
): HoleValue | undefined {
  if (ref.kind === 'field') {
    // mjml writes the title into <title> and aria-label, so the subject is compiled for an attribute.
    const context: OutputContext = mode === 'text' ? 'text' : ref.field === 'subject' ? 'attr' : 'html';
    const value =
      (mode === 'html' ? trustedField(compiled, resolved, ref.field) : undefined) ??
      processText(resolved[ref.field].value, false, resolved[ref.field].from === undefined);
    return { value, context, field: ref.field };
  }
  const instance = resolved.instances[ref.index];
  const slot = instance?.slots.get(ref.slotId);
  if (!instance || !slot) return undefined;
  const hole: HoleValue = {
    value: NOTHING,
    context: mode,
    instanceId: instance.instance.instanceId,
    moduleId: instance.module.def.id,
    slotId: ref.slotId,
  };
  if (ref.kind === 'token') {
    hole.value = { html: [ref.part], text: [ref.part], issues: [] };
    return hole;
  }
  hole.property = ref.property;
  hole.value =
    trustedSlotValue(slot, ref.property, ref.attr) ??
    slotValue(slot, ref.property, () => locationOf(hole, resolved.locale), diagnostics);
  return hole;
}

/**
 * The hub's own default for a property nobody changed, rendered as the hub wrote it (markup,
 * styles, entities), or undefined when the spoke's value (sanitized, escaped) renders instead.
 */
function trustedSlotValue(
  resolved: ResolvedSlot,
  property: 'text' | 'src' | 'alt' | 'href' | 'color',
  attr: string | undefined,
): ProcessedValue | undefined {
  const { slot } = resolved;
  const key = property === 'color' ? `color:${attr ?? ''}` : property;
  if (!resolved.fromDefault.includes(property) || !slot.rawMatches.has(key)) return undefined;
  const { raw, binding } = slot;
  switch (property) {
    case 'text':
      return processTrusted(raw.content, slot.def.kind === 'richText' || raw.content.includes('<'));
    case 'src':
    case 'alt':
    case 'href': {
      const name = binding[property];
      const value = name === undefined ? undefined : raw.attrs[name];
      return value === undefined ? undefined : processTrusted(value, false);
    }
    case 'color': {
      const value = attr === undefined ? undefined : raw.attrs[attr];
      return value === undefined ? undefined : processTrusted(value, false);
    }
  }
}

/** The subject or preheader as the hub wrote it, when the draft leaves it at the template's default. */
function trustedField(compiled: CompiledTemplate, resolved: ResolvedDraft, field: 'subject' | 'preheader') {
  const raw = compiled.rawFields[field];
  return raw !== undefined && resolved[field].from === undefined ? processTrusted(raw, false) : undefined;
}

function slotValue(
  resolved: ResolvedSlot,
  property: 'text' | 'src' | 'alt' | 'href' | 'color',
  where: () => Location,
  diagnostics: Diagnostic[],
): ProcessedValue {
  const { def } = resolved.slot;
  const value = resolved.value;
  // The template's own default is hub text, which may carry `{% platform … %}` code.
  const hubOwned = resolved.fromDefault.includes(property);
  switch (property) {
    case 'text':
      if (def.kind === 'richText')
        return processRichText(typeof value === 'string' ? value : '', def.allowedTags, hubOwned);
      if (def.kind === 'link') return processText((value as LinkValue | undefined)?.text ?? '', false, hubOwned);
      return processText(typeof value === 'string' ? value : '', def.kind === 'text' && def.multiline, hubOwned);
    case 'alt':
      return processLiteral((value as ImageValue | undefined)?.alt ?? '');
    case 'src':
    case 'href': {
      const raw = property === 'src' ? (value as ImageValue | undefined)?.src : (value as LinkValue | undefined)?.href;
      if (raw === undefined || raw === '') return processLiteral('');
      const url =
        def.kind === 'link' ? processUrl(raw, def.allowedSchemes, def.allowRelative) : processUrl(raw, IMAGE_SCHEMES);
      if (!url.ok)
        diagnostics.push(
          diagnostic(
            'render/unsafe-url',
            'error',
            `The ${property} of slot "${def.id}" was not rendered: ${url.reason ?? 'not allowed'}`,
            where(),
          ),
        );
      return url.value;
    }
    case 'color': {
      const color =
        (typeof value === 'string' ? normalizeHexColor(value) : undefined) ??
        (def.kind === 'color' && def.default ? normalizeHexColor(def.default) : undefined);
      if (color === undefined)
        diagnostics.push(
          diagnostic(
            'render/invalid-color',
            'error',
            `Slot "${def.id}" does not hold a hex colour; nothing was rendered`,
            where(),
          ),
        );
      // A validated #rrggbb needs no escaping, and escaping `#` would only confuse CSS-reading clients.
      return { html: [color ?? ''], text: [color ?? ''], issues: [] };
    }
  }
}

function locationOf(hole: HoleValue, locale: string, issue?: { start?: number; end?: number }): Location {
  const location: Location = { locale };
  if (hole.field !== undefined) location.field = hole.field;
  if (hole.moduleId !== undefined) location.moduleId = hole.moduleId;
  if (hole.instanceId !== undefined) location.instanceId = hole.instanceId;
  if (hole.slotId !== undefined) location.slotId = hole.slotId;
  if (hole.property !== undefined) location.property = hole.property;
  if (issue?.start !== undefined) location.start = issue.start;
  if (issue?.end !== undefined) location.end = issue.end;
  return location;
}

interface CompiledToken {
  out: string;
  scripts: ScriptTokenOutput[];
  dynamicContents: DynamicContentOutput[];
  /** Offsets (start, end pairs) of literal text (fallbacks) in `out`. */
  data: number[];
  issues: CompileIssue[];
  fieldMap: CompileEnv['fieldMap'];
}

/** Compiled token output per dialect and context, memoized per token (tokens are immutable). */
const tokenCache = new WeakMap<object, Map<string, CompiledToken>>();

function compileOne(part: TokenPart, context: OutputContext, env: CompileEnv, next = ''): CompiledToken {
  const issues: CompileIssue[] = [];
  const sink = new Sink();
  compileInto(sink, [part.token], context, env, issues, () => next);
  return {
    out: sink.text,
    data: sink.data,
    scripts: sink.scripts,
    dynamicContents: sink.dynamicContents,
    issues,
    fieldMap: env.fieldMap,
  };
}

function compileToken(part: TokenPart, context: OutputContext, env: CompileEnv): CompiledToken {
  if (env.dialect === 'preview') return compileOne(part, context, env);
  let byKey = tokenCache.get(part.token);
  if (!byKey) tokenCache.set(part.token, (byKey = new Map<string, CompiledToken>()));
  const key = `${env.dialect}|${context}`;
  let hit = byKey.get(key);
  if (hit?.fieldMap !== env.fieldMap) {
    hit = compileOne(part, context, env);
    byKey.set(key, hit);
  }
  return hit;
}

/** Adds spans (start, end pairs, relative to a piece) at `offset` to `into`. */
function shifted(into: number[], spans: readonly number[], offset: number): void {
  for (const at of spans) into.push(at + offset);
}

/**
 * Writes one hole's value for a dialect, escaping spoke text in plain-text contexts (looking into
 * `next`, the template text after the hole, so an escape holds at the boundary too), and records
 * which spans are spoke text and which are compiled code.
 */
function writeHole(
  hole: HoleValue | undefined,
  env: CompileEnv,
  locale: string,
  diagnostics: Diagnostic[],
  dark?: DarkScheme,
  next = '',
): Output {
  if (!hole) return NO_OUTPUT;
  const { value, context } = hole;
  for (const issue of value.issues)
    diagnostics.push(diagnostic(issue.ruleId, issue.severity, issue.message, locationOf(hole, locale, issue)));
  const parts = context === 'text' ? value.text : value.html;
  const trusted = 'trusted' in value && context !== 'text' && env.dialect !== 'preview';
  const plain = context === 'text' && env.dialect !== 'preview';
  const compiled = parts.map((part) => (typeof part === 'string' ? undefined : compileToken(part, context, env)));
  /** What the output holds after part k, as far as an escape looks (raw text stands for escaped text). */
  const rest = (k: number): string => {
    let out = '';
    for (let j = k + 1; j < parts.length && out.length < LOOKAHEAD; j++) {
      const part = parts[j];
      out += typeof part === 'string' ? part : (compiled[j]?.out ?? '');
    }
    return out.length < LOOKAHEAD ? out + next : out;
  };
  if (plain)
    compiled.forEach((token, k) => {
      // A token that ends in literal text (a fallback written out) is compiled again with what
      // follows it, so its escape holds across the boundary too.
      const part = parts[k];
      if (!token || typeof part === 'string' || part === undefined) return;
      if (token.data.length === 0 || token.data[token.data.length - 1] !== token.out.length) return;
      const following = rest(k);
      if (following !== '') compiled[k] = compileOne(part, context, env, following);
    });
  let text = '';
  const data: number[] = [];
  const code: number[] = [];
  const scripts: ScriptTokenOutput[] = [];
  const dynamicContents: DynamicContentOutput[] = [];
  // Hub markup (a default as written) keeps its inline colours, so it gets the dark classes too.
  const darken = dark !== undefined && context === 'html' && 'trusted' in value;
  parts.forEach((raw, k) => {
    const part = darken && typeof raw === 'string' ? addDarkClasses(raw, dark) : raw;
    const start = text.length;
    if (typeof part === 'string') {
      if (trusted) text += neutralizeLive(part);
      else if (context !== 'text' || env.dialect === 'preview') {
        text += part;
        data.push(start, text.length);
      } else {
        const escaped = escapeText(part, env.dialect, rest(k));
        text += escaped.text;
        let at = 0;
        for (let i = 0; i < escaped.code.length; i += 2) {
          data.push(start + at, start + (escaped.code[i] ?? 0));
          at = escaped.code[i + 1] ?? 0;
        }
        data.push(start + at, text.length);
        shifted(code, escaped.code, start);
        if (escaped.broken) {
          diagnostics.push(
            diagnostic(
              'personalization/unescapable',
              'warning',
              `${env.dialect} has no escape for this text's template syntax in plain text; a zero-width space was inserted to keep it inert`,
              locationOf(hole, locale),
              { code: 'E_UNSUPPORTED', dialect: env.dialect },
            ),
          );
        }
      }
    } else {
      const token = compiled[k] ?? compileToken(part, context, env);
      text += token.out;
      scripts.push(...token.scripts);
      dynamicContents.push(...token.dynamicContents);
      // The token's code is everything but its literal text.
      let at = 0;
      for (let i = 0; i < token.data.length; i += 2) {
        code.push(start + at, start + (token.data[i] ?? 0));
        at = token.data[i + 1] ?? 0;
      }
      code.push(start + at, text.length);
      shifted(data, token.data, start);
      for (const i of token.issues)
        diagnostics.push(diagnostic(i.ruleId, i.severity, i.message, locationOf(hole, locale, i), i.data));
    }
  });
  // Header fields never carry a line break or another control character, whatever wrote it.
  if (hole.field !== undefined && context === 'text') {
    text = headerSafe(text);
    // …nor does an email script token it references print one.
    scripts.forEach((token, i) => {
      const safe = headerScriptToken(token);
      if (safe === token) return;
      text = text.replaceAll(`{{my.${token.name}}}`, `{{my.${safe.name}}}`);
      scripts[i] = safe;
    });
  }
  const output: Output = { text, bytes: utf8Length(text), diagnostics, hole, data, code };
  if (scripts.length > 0) output.scripts = scripts;
  if (dynamicContents.length > 0) output.dynamicContents = dynamicContents;
  return output;
}

/** Everything a skeleton hole's output depends on besides the skeleton, dialect, dark scheme and locale. */
interface HoleInputs {
  compiled: CompiledTemplate;
  fieldMap: CompileEnv['fieldMap'];
  /** Slot and token holes: the instance, module and slot, and the value with where each property came from. */
  instanceId?: string;
  module?: CompiledModule;
  slot?: CompiledSlot;
  value?: SlotValue | undefined;
  fromDefault?: readonly string[];
  /** Field holes: the subject or preheader, and whether it is the template's default. */
  text?: string;
  fromTemplate?: boolean;
}

interface HoleMemo {
  inputs: HoleInputs;
  output: Output;
}

/**
 * The last output written into each hole of a skeleton output, per dialect, dark scheme and
 * locale, with what it was written from: a stateless render() of a draft that differs from the
 * last one in a few values re-writes only those holes. Inputs are compared by value (slot values
 * are kept as copies, so a caller changing a draft object in place is not served the old output).
 */
const filledHoles = new WeakMap<Split, Map<string, (HoleMemo | undefined)[]>>();

/** The last subject or preheader written per dialect, locale and field, with what it was written from. */
const filledFields = new Map<
  string,
  { fieldMap: CompileEnv['fieldMap']; text: string; fromTemplate: boolean; output: Output }
>();

/** What a hole's output depends on, or undefined when it is not kept (a hole with nothing to show). */
function holeInputs(setup: RendererSetup, resolved: ResolvedDraft, ref: HoleRef): HoleInputs | undefined {
  const { compiled, env } = setup;
  if (ref.kind === 'field') {
    const field = resolved[ref.field];
    return { compiled, fieldMap: env.fieldMap, text: field.value, fromTemplate: field.from === undefined };
  }
  const instance = resolved.instances[ref.index];
  const slot = instance?.slots.get(ref.slotId);
  if (!instance || !slot) return undefined;
  return {
    compiled,
    fieldMap: env.fieldMap,
    instanceId: instance.instance.instanceId,
    module: instance.module,
    slot: slot.slot,
    value: slot.value,
    fromDefault: slot.fromDefault,
  };
}

function sameValue(a: SlotValue | undefined, b: SlotValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    n += 1;
    if (!Object.hasOwn(y, k) || x[k] !== y[k]) return false;
  }
  for (const k in y) if (Object.hasOwn(y, k)) n -= 1;
  return n === 0;
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  if (a === b) return true;
  if (a?.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether the hole at `ref` is written from `kept` now too (compared without building its inputs). */
function stillHolds(kept: HoleInputs, setup: RendererSetup, resolved: ResolvedDraft, ref: HoleRef): boolean {
  if (kept.compiled !== setup.compiled || kept.fieldMap !== setup.env.fieldMap) return false;
  if (ref.kind === 'field') {
    const field = resolved[ref.field];
    return kept.text === field.value && kept.fromTemplate === (field.from === undefined);
  }
  const instance = resolved.instances[ref.index];
  const slot = instance?.slots.get(ref.slotId);
  return (
    instance !== undefined &&
    slot !== undefined &&
    kept.instanceId === instance.instance.instanceId &&
    kept.module === instance.module &&
    kept.slot === slot.slot &&
    sameValue(kept.value, slot.value) &&
    sameList(kept.fromDefault, slot.fromDefault)
  );
}

/** The inputs as kept: copies of the slot value and property list, which the caller's objects may share. */
function snapshot(inputs: HoleInputs): HoleInputs {
  const { value, fromDefault } = inputs;
  return {
    ...inputs,
    value: typeof value === 'object' ? { ...value } : value,
    ...(fromDefault === undefined ? {} : { fromDefault: [...fromDefault] }),
  };
}

/**
 * The last verified state of each skeleton output per dialect, whichever rendering verified it:
 * what a check needs is the skeleton, the filled holes and the lexing, all compared or kept by
 * value, so any rendering of the same skeleton can re-lex only what differs from it.
 */
const verifiedBySplit = new WeakMap<Split, Map<Dialect, VerifiedSplit>>();

/** The last subject and preheader that passed the check, per dialect (`dialect|field`). */
const verifiedFields = new Map<string, Output>();

/** Marketo email scripts that passed the check, by script text: their spoke text spans. */
const verifiedScripts = new Map<string, readonly number[]>();

/** Eloqua dynamic content sections that passed the check, by HTML: their spoke text spans. */
const verifiedContents = new Map<string, readonly number[]>();

/** Up to this many changed holes, a check shifts the verified hole offsets instead of summing them all again. */
const FEW_EDITED = 8;

/** A window to the end of an output is tried before the whole output up to this length. */
const WHOLE_REST = 8192;

/**
 * `[from, to)` of the output made of `split`'s chunks with `outputs` in its holes, which start at
 * `starts` in it.
 */
function windowOf(
  split: Split,
  outputs: readonly Output[],
  starts: readonly number[],
  from: number,
  to: number,
): string {
  // The last hole that starts at or before `from`: nothing before it reaches into the window.
  let lo = 0;
  let hi = outputs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] ?? 0) <= from) lo = mid + 1;
    else hi = mid;
  }
  let out = '';
  let at = lo === 0 ? 0 : (starts[lo - 1] ?? 0);
  // Chunk 0, hole 0, chunk 1, hole 1, …: piece k is chunk k/2 when k is even, hole (k-1)/2 when odd.
  for (let k = lo === 0 ? 0 : 2 * lo - 1; k <= 2 * outputs.length && at < to; k++) {
    const piece = k % 2 === 0 ? (split.chunks[k / 2] ?? '') : (outputs[(k - 1) / 2]?.text ?? '');
    const end = at + piece.length;
    if (end > from)
      out += at >= from && end <= to ? piece : piece.slice(Math.max(0, from - at), Math.min(piece.length, to - at));
    at = end;
  }
  return out;
}

function keyOf(d: Diagnostic): string {
  const l = d.location;
  return `${d.ruleId}|${d.message}|${l.locale ?? ''}|${l.instanceId ?? ''}|${l.slotId ?? ''}|${l.property ?? ''}|${l.field ?? ''}|${l.start ?? ''}`;
}

/**
 * Benchmarks only (not exported from the package): switches the whole-output check off to
 * measure what it costs, or adds up the time spent in it (`timed`; the outputs are made flat
 * strings first, as the first reader of the email would, so that is not counted as the check's).
 * Nothing else may touch it.
 */
export const liveCheck = { enabled: true, timed: false, ms: 0 };

/**
 * Adds `contentHash` as an enumerable property computed on first read: hashing a 50 KB email
 * costs more than re-rendering it, and a live preview rarely needs the hash.
 */
function withLazyHash(email: Omit<RenderedEmail, 'contentHash'>): RenderedEmail {
  let hash: string | undefined;
  return Object.defineProperty(email, 'contentHash', {
    enumerable: true,
    configurable: true,
    get: () => (hash ??= emailContentHash(email)),
  }) as RenderedEmail;
}

interface RendererSetup {
  compiled: CompiledTemplate;
  locale: string | undefined;
  env: CompileEnv;
  annotate: boolean;
  cache: SkeletonSource;
  dark: DarkScheme | undefined;
}

function setup(template: Template, options: RenderOptions): RendererSetup {
  const dialect = options.dialect === undefined ? 'preview' : parse(DialectSchema, options.dialect, 'options.dialect');
  const contact =
    options.sampleContact === undefined
      ? undefined
      : parse(SampleContactSchema, options.sampleContact, 'options.sampleContact').fields;
  return {
    compiled: compileTemplate(template),
    locale: options.locale === undefined ? undefined : parse(LocaleSchema, options.locale, 'options.locale'),
    env: { dialect, fieldMap: resolveFieldMap(options.fieldMap), contact },
    annotate: options.annotate === true,
    cache: options.cache ?? defaultSkeletonCache,
    dark:
      options.darkMode === undefined
        ? undefined
        : darkSchemeOf(parse(DarkPaletteSchema, options.darkMode, 'options.darkMode')),
  };
}

/**
 * One draft rendered for one locale and dialect, kept so that edits re-render only what they
 * touched: a text edit re-fills one hole of the cached skeleton; a structural edit (modules,
 * booleans, list values, image sizes) compiles a new skeleton with mjml.
 */
class Renderer {
  private draft!: Draft;
  private resolved!: ResolvedDraft;
  private structure!: Structure;
  private skeleton!: Skeleton;
  private html!: Assembly<Output>;
  private text!: Assembly<Output>;
  private subject: Output = NO_OUTPUT;
  private preheader: Output = NO_OUTPUT;
  private pin: Diagnostic[] = [];
  /** The kept hole outputs of the current skeleton (see `filledHoles`). */
  private memo: { html?: (HoleMemo | undefined)[] | undefined; text?: (HoleMemo | undefined)[] | undefined } = {};
  /** The last rendering that passed the whole-output check (what an edit's check starts from). */
  private verified: Verified | undefined;

  constructor(private readonly setup: RendererSetup) {}

  private get preview(): boolean {
    return this.setup.env.dialect === 'preview';
  }

  get currentDraft(): Draft {
    return this.draft;
  }

  /** Validates a whole draft and renders it from scratch (reusing a cached skeleton when the structure matches). */
  async load(input: unknown): Promise<void> {
    const draft = parse(DraftSchema, input, 'draft');
    const { template } = this.setup.compiled;
    if (draft.template.id !== template.id) {
      throw new HubspokeError(
        'E_CONFLICT',
        `draft.template.id: the draft uses template "${draft.template.id}", not "${template.id}"`,
        { path: 'draft.template.id' },
      );
    }
    this.pin =
      draft.template.version === template.version
        ? []
        : [
            diagnostic(
              'template/version-mismatch',
              'warning',
              `The draft pins version ${draft.template.version} of "${template.id}" but renders with version ${template.version}: run upgradeDraft first`,
              {},
              { pinned: draft.template.version, rendered: template.version },
            ),
          ];
    this.draft = draft;
    this.resolved = resolveDraft(this.setup.compiled, draft, this.setup.locale ?? draft.defaultLocale);
    await this.restructure();
  }

  private async restructure(): Promise<void> {
    this.structure = structureOf(this.setup.compiled, this.resolved, this.setup.annotate, this.preview);
    const skeleton = await this.setup.cache.get(this.structure, {
      draft: this.draft,
      locale: this.resolved.locale,
      annotate: this.setup.annotate,
    });
    const { dark } = this.setup;
    this.skeleton =
      dark === undefined ? skeleton : darkSkeleton(skeleton, dark, (ref) => this.fillHole(ref, 'html').text);
    this.memo = { html: this.memoFor('html'), text: this.memoFor('text') };
    this.html = new Assembly(
      this.skeleton.html,
      this.skeleton.html.holes.map((ref, i) => this.fillHole(ref, 'html', i)),
    );
    this.text = new Assembly(
      this.skeleton.text,
      this.skeleton.text.holes.map((ref, i) => this.fillHole(ref, 'text', i)),
    );
    this.subject = this.fillField('subject');
    this.preheader = this.fillField('preheader');
  }

  private fillHole(ref: HoleRef, mode: 'html' | 'text', index = -1): Output {
    const memo = index >= 0 ? (mode === 'html' ? this.memo.html : this.memo.text) : undefined;
    const last = memo?.[index];
    if (last !== undefined && stillHolds(last.inputs, this.setup, this.resolved, ref)) return last.output;
    const output = this.writeFresh(ref, mode, index);
    const inputs = memo ? holeInputs(this.setup, this.resolved, ref) : undefined;
    if (memo && inputs) memo[index] = { inputs: snapshot(inputs), output };
    return output;
  }

  /** The filled holes of this skeleton's `mode` output last written for this setup's dialect, dark scheme and locale. */
  private memoFor(mode: 'html' | 'text'): (HoleMemo | undefined)[] | undefined {
    const { env, dark } = this.setup;
    // A sample contact (preview) changes what a token shows: those fills are not kept.
    if (env.contact !== undefined) return undefined;
    const split = this.skeleton[mode];
    let byKey = filledHoles.get(split);
    if (!byKey) filledHoles.set(split, (byKey = new Map<string, (HoleMemo | undefined)[]>()));
    const key = `${env.dialect}|${dark?.key ?? ''}|${this.resolved.locale}`;
    let memo = byKey.get(key);
    if (!memo) {
      if (byKey.size >= 16) byKey.clear();
      byKey.set(key, (memo = new Array<HoleMemo | undefined>(split.holes.length)));
    }
    return memo;
  }

  private writeFresh(ref: HoleRef, mode: 'html' | 'text', index: number): Output {
    const diagnostics: Diagnostic[] = [];
    return writeHole(
      holeValue(this.setup.compiled, this.resolved, ref, mode, diagnostics),
      this.setup.env,
      this.resolved.locale,
      diagnostics,
      this.setup.dark,
      index >= 0 ? (this.skeleton[mode].chunks[index + 1] ?? '') : '',
    );
  }

  private fillField(field: 'subject' | 'preheader'): Output {
    const { env } = this.setup;
    const { value, from } = this.resolved[field];
    const keep = env.contact === undefined;
    const key = `${env.dialect}|${this.resolved.locale}|${field}`;
    const last = keep ? filledFields.get(key) : undefined;
    if (last?.fieldMap === env.fieldMap && last.text === value && last.fromTemplate === (from === undefined))
      return last.output;
    const output = this.writeField(field);
    if (keep) {
      if (filledFields.size >= 256) filledFields.clear();
      filledFields.set(key, { fieldMap: env.fieldMap, text: value, fromTemplate: from === undefined, output });
    }
    return output;
  }

  private writeField(field: 'subject' | 'preheader'): Output {
    return writeHole(
      {
        value: processText(this.resolved[field].value, false, this.resolved[field].from === undefined),
        context: 'text',
        field,
      },
      this.setup.env,
      this.resolved.locale,
      [],
    );
  }

  /** Sets (or, with `undefined`, clears) one slot value in one locale and re-renders what it touches. */
  async setSlot(instanceId: string, slotId: string, input: SlotValue | undefined, locale?: string): Promise<void> {
    const loc = locale === undefined ? this.resolved.locale : parse(LocaleSchema, locale, 'locale');
    parse(IdSchema, instanceId, 'instanceId');
    parse(IdSchema, slotId, 'slotId');
    const value =
      input === undefined
        ? undefined
        : parse(SlotValueSchema, input, `draft.content["${loc}"].slots.${instanceId}.${slotId}`);
    const instance = this.draft.modules.find((m) => m.instanceId === instanceId);
    const module = instance ? this.setup.compiled.modules.get(instance.moduleId) : undefined;
    const slot = module?.slots.get(slotId);
    if (!instance || !module || !slot) {
      throw new HubspokeError(
        'E_NOT_FOUND',
        `${instanceId}.${slotId}: the draft has no ${instance ? `slot "${slotId}" in module "${instance.moduleId}"` : `module instance "${instanceId}"`}`,
        { path: `${instanceId}.${slotId}` },
      );
    }
    this.draft = withSlot(this.draft, loc, instanceId, slotId, value);
    if (!this.resolved.chain.includes(loc)) return;
    const index = this.resolved.instances.findIndex((ri) => ri.instance.instanceId === instanceId);
    const target = this.resolved.instances[index];
    if (!target) return;
    const before = target.slots.get(slotId);
    const after = resolveSlot(this.draft, this.resolved.chain, instance, module, slot);
    target.slots.set(slotId, after);
    const compiled = this.setup.compiled;
    if (
      !sameFixed(before && fixedValueOf(compiled, before, this.preview), fixedValueOf(compiled, after, this.preview)) ||
      // In dark mode a colour decides its element's dark-mode class, which lives in the skeleton.
      (this.setup.dark !== undefined && slot.def.kind === 'color')
    ) {
      await this.restructure();
      return;
    }
    const touches = (ref: HoleRef) => ref.kind !== 'field' && ref.index === index && ref.slotId === slotId;
    this.skeleton.html.holes.forEach((ref, i) => {
      if (touches(ref)) this.html.set(i, this.fillHole(ref, 'html', i));
    });
    this.skeleton.text.holes.forEach((ref, i) => {
      if (touches(ref)) this.text.set(i, this.fillHole(ref, 'text', i));
    });
  }

  /** Sets (or clears) the subject or preheader in one locale. */
  async setField(field: 'subject' | 'preheader', input: string | undefined, locale?: string): Promise<void> {
    const loc = locale === undefined ? this.resolved.locale : parse(LocaleSchema, locale, 'locale');
    const value =
      input === undefined
        ? undefined
        : parse(LocaleContentSchema.shape[field], input, `draft.content["${loc}"].${field}`);
    const { [field]: _previous, ...rest } = this.draft.content[loc] ?? { slots: {} };
    const content = value === undefined ? rest : { ...rest, [field]: value };
    this.draft = { ...this.draft, content: { ...this.draft.content, [loc]: content } };
    if (!this.resolved.chain.includes(loc)) return;
    const before = this.resolved[field].value;
    this.resolved[field] = resolveField(
      this.draft,
      this.resolved.chain,
      field,
      this.setup.compiled.template[field].default,
    );
    if ((before === '') !== (this.resolved[field].value === '')) {
      await this.restructure();
      return;
    }
    this.skeleton.html.holes.forEach((ref, i) => {
      if (ref.kind === 'field' && ref.field === field) this.html.set(i, this.fillHole(ref, 'html', i));
    });
    this[field] = this.fillField(field);
  }

  /** The MJML document of this rendering with every value written in. */
  fullSource(): string {
    return emitMjml(
      this.structure,
      (ref) =>
        writeHole(
          holeValue(this.setup.compiled, this.resolved, ref, 'html', []),
          this.setup.env,
          this.resolved.locale,
          [],
        ).text,
    );
  }

  /** The same email compiled whole by mjml and converted whole by html-to-text, values written into the source. */
  async fullDocument(): Promise<{ html: string; text: string }> {
    const { env, dark } = this.setup;
    const html = (ref: HoleRef) =>
      writeHole(holeValue(this.setup.compiled, this.resolved, ref, 'html', []), env, this.resolved.locale, [], dark)
        .text;
    // The reading view is HTML, so the plain-text values go in as HTML for html-to-text to read back.
    const text = (ref: HoleRef) => {
      let out = '';
      for (const part of holeValue(this.setup.compiled, this.resolved, ref, 'text', [])?.value.text ?? []) {
        const plain =
          typeof part === 'string'
            ? env.dialect === 'preview'
              ? part
              : escapeText(part, env.dialect).text
            : compileToken(part, 'text', env).out;
        out += escapeHtml(plain).replace(/\n/g, '<br />');
      }
      return out;
    };
    const full = await compileFull(this.structure, html);
    return {
      html: dark === undefined ? full : applyDarkScheme(full, dark),
      text: convertFullText(this.structure, text),
    };
  }

  /** The filled holes with their values, tokens still open (for per-recipient personalization). */
  openState(): {
    skeleton: Skeleton;
    html: (HoleValue | undefined)[];
    text: (HoleValue | undefined)[];
    subject: HoleValue | undefined;
    preheader: HoleValue | undefined;
  } {
    return {
      skeleton: this.skeleton,
      html: this.html.all.map((o) => o.hole),
      text: this.text.all.map((o) => o.hole),
      subject: this.subject.hole,
      preheader: this.preheader.hole,
    };
  }

  /** Marketo: every email script token the current rendering references, once each, with the output it sits in. */
  private scriptTokens(): { token: ScriptTokenOutput; hole: HoleValue | undefined }[] {
    const found = new Map<string, { token: ScriptTokenOutput; hole: HoleValue | undefined }>();
    const outputs = [...this.html.all, ...this.text.all, this.subject, this.preheader];
    for (const o of outputs)
      for (const token of o.scripts ?? []) if (!found.has(token.name)) found.set(token.name, { token, hole: o.hole });
    return [...found.values()];
  }

  /** Eloqua: every dynamic content the current HTML holds a placeholder for, once each, with its hole. */
  private dynamicContents(): { dc: DynamicContentOutput; hole: HoleValue | undefined }[] {
    const found = new Map<string, { dc: DynamicContentOutput; hole: HoleValue | undefined }>();
    for (const o of this.html.all)
      for (const dc of o.dynamicContents ?? []) if (!found.has(dc.name)) found.set(dc.name, { dc, hole: o.hole });
    return [...found.values()];
  }

  /**
   * The whole-output check: each field the platform interprets (HTML with its link URLs, the
   * plain text, the subject, the preheader) is lexed again with the dialect's lexer, and every
   * live construct in it must be one the compiler emitted, where it emitted it. Anything else
   * (spoke text that completes a token beside it, a construct across a slot's edge) refuses the
   * render with `E_VALIDATION` naming the slot.
   */
  private checkLive(
    html: string,
    rawText: string,
    scripts: readonly { token: ScriptTokenOutput; hole: HoleValue | undefined }[],
    dynamic: readonly { dc: DynamicContentOutput; hole: HoleValue | undefined }[] = [],
  ): void {
    const { dialect } = this.setup.env;
    if (dialect === 'preview' || !liveCheck.enabled) return;
    if (!liveCheck.timed) {
      this.checkOutputs(dialect, html, rawText, scripts, dynamic);
      return;
    }
    // Reading a character makes each output a flat string, as the email's first reader would.
    if (Number.isNaN(html.charCodeAt(0) + rawText.charCodeAt(0))) liveCheck.ms += 0;
    const start = performance.now();
    try {
      this.checkOutputs(dialect, html, rawText, scripts, dynamic);
    } finally {
      liveCheck.ms += performance.now() - start;
    }
  }

  private checkOutputs(
    dialect: Exclude<Dialect, 'preview'>,
    html: string,
    rawText: string,
    scripts: readonly { token: ScriptTokenOutput; hole: HoleValue | undefined }[],
    dynamic: readonly { dc: DynamicContentOutput; hole: HoleValue | undefined }[],
  ): void {
    const last = this.verified;
    const html2 = this.checkSplit(dialect, 'html', html, this.html, this.skeleton.html, last?.html);
    const text2 = this.checkSplit(dialect, 'text', rawText, this.text, this.skeleton.text, last?.text);
    this.checkField(dialect, 'subject', this.subject, last?.subject);
    this.checkField(dialect, 'preheader', this.preheader, last?.preheader);
    this.verified = { html: html2, text: text2, subject: this.subject, preheader: this.preheader };
    // A Marketo email script is code the compiler wrote around spoke text: only that code may be live.
    // Scripts are short, so each is lexed whole.
    for (const { token, hole } of scripts) {
      // The verdict depends only on the script and where its spoke text is: one that passed stays passed.
      const passed = verifiedScripts.get(token.script);
      if (passed !== undefined && sameSpans(passed, token.data)) continue;
      const code: number[] = [];
      let at = 0;
      for (let i = 0; i + 1 < token.data.length; i += 2) {
        code.push(at, token.data[i] ?? 0);
        at = token.data[i + 1] ?? 0;
      }
      code.push(at, token.script.length);
      const [found] = foreignConstructs(dialect, token.script, [
        { offset: 0, length: token.script.length, data: token.data, code, hole },
      ]);
      if (found)
        throw this.liveError(`email script token my.${token.name}`, found.construct.kind, found.text, found.hole);
      if (verifiedScripts.size >= 256) verifiedScripts.clear();
      verifiedScripts.set(token.script, token.data);
    }
    // An Eloqua dynamic content's contents are HTML the compiler wrote around spoke text, sent
    // to Eloqua as content sections: only that code may be live in them either.
    for (const { dc, hole } of dynamic) {
      const contents = dc.rules.map((r, i) => ({ html: r.html, data: dc.ruleData[i] ?? [] }));
      contents.push({ html: dc.defaultHtml, data: dc.defaultData });
      for (const [i, { html: content, data }] of contents.entries()) {
        const passed = verifiedContents.get(content);
        if (passed !== undefined && sameSpans(passed, data)) continue;
        const found = foreignInCompiled(dialect, content, data, hole);
        if (found) {
          const which = i < dc.rules.length ? `rule ${i + 1}` : 'default content';
          throw this.liveError(`dynamic content ${dc.name} (${which})`, found.construct.kind, found.text, found.hole);
        }
        if (verifiedContents.size >= 256) verifiedContents.clear();
        verifiedContents.set(content, data);
      }
    }
    // The plain text is checked before tidying, which only shortens runs of blank lines: no
    // class of construct depends on how many blank lines there are, so none can appear or change.
  }

  private checkField(dialect: Dialect, name: 'subject' | 'preheader', o: Output, before: Output | undefined): void {
    if (o === before || (before !== undefined && sameOutput(o, before))) return;
    // The last subject or preheader that passed in this dialect, whichever rendering checked it.
    const key = `${dialect}|${name}`;
    const passed = verifiedFields.get(key);
    if (passed !== undefined && sameOutput(o, passed)) return;
    const [found] = foreignConstructs(dialect, o.text, [
      { offset: 0, length: o.text.length, data: o.data, code: o.code, hole: o.hole },
    ]);
    if (found) throw this.liveError(name, found.construct.kind, found.text, found.hole);
    verifiedFields.set(key, o);
  }

  /**
   * Checks one skeleton-based output. After an edit of a verified rendering (same skeleton), only
   * the changed holes and what reads across their edges are lexed again (`relex` gives exactly
   * what a whole re-lex gives), and only the constructs lexed again are checked: the others are
   * the verified ones, over the same pieces, in the same places or shifted past the edit. After
   * an edit in this session, the holes compared are only those the assembly set since its last
   * verified state (every other hole is the very object verified then).
   */
  private checkSplit(
    dialect: Exclude<Dialect, 'preview'>,
    name: 'html' | 'text',
    text: string,
    assembly: Assembly<Output>,
    split: Split,
    own: OwnSplit | undefined,
  ): OwnSplit {
    const outputs = assembly.all;
    const n = outputs.length;
    // This session's last verified state of the output, or the last one any rendering of this
    // skeleton in this dialect verified (a stateless render() of an edited draft is an edit of it).
    const shared = verifiedBySplit.get(split);
    let last: VerifiedSplit | undefined;
    let changed: readonly number[] | undefined;
    if (own?.verified.split === split) {
      last = own.verified;
      if (own.assembly === assembly) changed = assembly.changedSince(own.mark);
    } else last = shared?.get(dialect);
    let lexed: Lexed | undefined;
    let fresh: readonly LiveConstruct[] = [];
    let starts: number[] | undefined;
    let length = 0;
    if (last?.split === split && last.outputs.length === n) {
      // The edited part: [a, b) of the verified output became [a, b2) of this one.
      let a = -1;
      let b = 0;
      let b2 = 0;
      /** The old text of the one hole that changed (undefined when more did). */
      let removed: string | undefined;
      // Another rendering of the verified skeleton (a stateless render() of an edited draft):
      // the holes whose output differs, when they are few. Kept hole outputs are the very
      // objects verified, so this is mostly an identity check per hole.
      let edited = changed;
      if (!edited) {
        const differ: number[] = [];
        for (let i = 0; i < n && differ.length <= FEW_EDITED; i++) {
          const now = outputs[i] ?? NO_OUTPUT;
          const was = last.outputs[i] ?? NO_OUTPUT;
          if (now !== was && !sameOutput(now, was)) differ.push(i);
        }
        if (differ.length <= FEW_EDITED) edited = differ;
      }
      if (edited) {
        starts = last.starts;
        let shift = 0;
        let previous = -1;
        for (const i of edited.length > 1 ? [...edited].sort((x, y) => x - y) : edited) {
          if (i === previous) continue;
          previous = i;
          const now = outputs[i] ?? NO_OUTPUT;
          const was = last.outputs[i] ?? NO_OUTPUT;
          // A hole set again to what it held is lexed again too (cheaper than comparing it).
          if (now === was) continue;
          const at = last.starts[i] ?? 0;
          removed = a === -1 ? was.text : undefined;
          if (a === -1) a = at + shift;
          b = at + was.text.length;
          b2 = at + shift + now.text.length;
          const d = now.text.length - was.text.length;
          if (d !== 0) {
            if (starts === last.starts) starts = last.starts.slice();
            for (let k = i + 1; k < n; k++) starts[k] = (starts[k] ?? 0) + d;
            shift += d;
          }
        }
        length = last.length + shift;
      } else {
        starts = [];
        let offset = split.chunks[0]?.length ?? 0;
        let before = offset;
        for (let i = 0; i < n; i++) {
          const now = outputs[i] ?? NO_OUTPUT;
          const was = last.outputs[i] ?? NO_OUTPUT;
          starts[i] = offset;
          if (now !== was && !sameOutput(now, was)) {
            removed = a === -1 ? was.text : undefined;
            if (a === -1) a = offset;
            b = before + was.text.length;
            b2 = offset + now.text.length;
          }
          const chunk = split.chunks[i + 1]?.length ?? 0;
          offset += now.text.length + chunk;
          before += was.text.length + chunk;
        }
        length = offset;
      }
      if (a === -1) lexed = last.lexed;
      else {
        // The re-lex reads only around the edit: it is given that part of the output, made from
        // the skeleton's chunks and the filled holes, so the whole 50 KB output is not flattened
        // (a rope until first read) for it; when the re-lex needs more, it is given all of it.
        // Eloqua rejoins sooner after an edit that removed no `<` or `>` (see `relex`).
        const bracket = dialect !== 'eloqua' || removed === undefined || hasBracket(removed, 0, removed.length);
        const [from, to] = relexSpan(last.lexed, a, b, b2, length);
        // A window to the end of the output next (Eloqua's plain text, with no tag after the edit
        // for the re-lex to rejoin at, needs the rest of it), then the whole output.
        let again =
          from === 0 && to === length
            ? undefined
            : relexWindow(
                dialect,
                windowOf(split, outputs, starts, from, to),
                from,
                length,
                last.lexed,
                a,
                b,
                b2,
                bracket,
              );
        if (!again && from > 0 && to < length && length - from <= WHOLE_REST)
          again = relexWindow(
            dialect,
            windowOf(split, outputs, starts, from, length),
            from,
            length,
            last.lexed,
            a,
            b,
            b2,
            bracket,
          );
        ({ lexed, fresh } = again ?? relex(dialect, text, last.lexed, a, b, b2, bracket));
      }
    }
    if (!lexed) {
      lexed = lexTracked(dialect, text);
      fresh = lexed.constructs;
    }
    if (!starts) {
      starts = [];
      let offset = split.chunks[0]?.length ?? 0;
      for (let i = 0; i < n; i++) {
        starts[i] = offset;
        offset += (outputs[i]?.text.length ?? 0) + (split.chunks[i + 1]?.length ?? 0);
      }
      length = offset;
    }
    if (fresh.length > 0) {
      // A construct is judged by the pieces it overlaps only: those of the holes that reach into
      // [low, high), the span of the constructs lexed again.
      let low = Infinity;
      let high = -Infinity;
      for (const c of fresh) {
        if (c.start < low) low = c.start;
        if (c.end > high) high = c.end;
      }
      // The first hole that ends after `low` (holes are in order and do not overlap).
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((starts[mid] ?? 0) + (outputs[mid]?.text.length ?? 0) <= low) lo = mid + 1;
        else hi = mid;
      }
      const pieces: Piece<HoleValue | undefined>[] = [];
      for (let i = lo; i < n && (starts[i] ?? 0) < high; i++) {
        const o = outputs[i];
        if (o !== undefined && o.text !== '')
          pieces.push({ offset: starts[i] ?? 0, length: o.text.length, data: o.data, code: o.code, hole: o.hole });
      }
      const [found] = foreignAmong(fresh, text, pieces);
      if (found) throw this.liveError(name, found.construct.kind, found.text, found.hole);
    }
    const verified: VerifiedSplit = { split, outputs: outputs.slice(), lexed, starts, length };
    if (shared) shared.set(dialect, verified);
    else verifiedBySplit.set(split, new Map([[dialect, verified]]));
    return { verified, assembly, mark: assembly.mark() };
  }

  private liveError(output: string, kind: string, excerpt: string, hole: HoleValue | undefined): HubspokeError {
    const locale = this.resolved.locale;
    const base = `draft.content["${locale}"]`;
    const path =
      hole?.field !== undefined
        ? `${base}.${hole.field}`
        : hole?.instanceId !== undefined && hole.slotId !== undefined
          ? `${base}.slots.${hole.instanceId}.${hole.slotId}`
          : base;
    const where =
      hole?.slotId !== undefined
        ? `slot "${hole.slotId}" of module instance "${hole.instanceId ?? ''}"${hole.property !== undefined && hole.property !== 'text' ? ` (${hole.property})` : ''}`
        : hole?.field !== undefined
          ? `the ${hole.field}`
          : 'the template';
    const { dialect } = this.setup.env;
    return new HubspokeError(
      'E_VALIDATION',
      `${path}: ${where} would put live ${dialect} code (${kind}: ${JSON.stringify(excerpt)}) into the ${output} that the compiler did not write; change the text next to the token, or the token`,
      {
        path,
        details: {
          rule: 'render/live-construct',
          dialect,
          output,
          construct: kind,
          excerpt,
          ...(hole?.instanceId !== undefined ? { instanceId: hole.instanceId } : {}),
          ...(hole?.slotId !== undefined ? { slotId: hole.slotId } : {}),
          ...(hole?.property !== undefined ? { property: hole.property } : {}),
        },
      },
    );
  }

  /** The current rendering as a core `RenderedEmail`. */
  result(): RenderedEmail {
    const diagnostics: Diagnostic[] = [];
    const seen = new Set<string>();
    const add = (list: readonly Diagnostic[]) => {
      // Most lists (one per filled hole) are empty.
      if (list.length === 0) return;
      for (const d of list) {
        const key = keyOf(d);
        if (!seen.has(key)) {
          seen.add(key);
          diagnostics.push(d);
        }
      }
    };
    const { resolved } = this;
    add(this.pin);
    add(resolved.diagnostics);
    add(resolved.subject.diagnostics);
    add(resolved.preheader.diagnostics);
    for (const ri of resolved.instances) for (const rs of ri.slots.values()) add(rs.diagnostics);
    const html = this.html.text();
    const bytes = this.html.bytes();
    const slotSpans = this.html.spans(({ hole }, start, end) =>
      hole?.instanceId !== undefined && hole.slotId !== undefined
        ? { instanceId: hole.instanceId, slotId: hole.slotId, property: hole.property ?? 'text', start, end }
        : undefined,
    );
    const rawText = this.text.text();
    const text = tidyPlainText(rawText);
    const scripts = this.scriptTokens();
    const dynamic = this.dynamicContents();
    this.checkLive(html, rawText, scripts, dynamic);
    for (const o of this.html.all) add(o.diagnostics);
    for (const o of this.text.all) add(o.diagnostics);
    add(this.subject.diagnostics);
    add(this.preheader.diagnostics);
    add(checkSize(bytes));
    const { template } = this.setup.compiled;
    return withLazyHash({
      draftId: this.draft.id,
      draftVersion: this.draft.version,
      template: { id: template.id, version: template.version },
      locale: resolved.locale,
      dialect: this.setup.env.dialect,
      subject: this.subject.text,
      preheader: this.preheader.text,
      html,
      text,
      bytes,
      diagnostics,
      slotSpans,
      ...(scripts.length > 0
        ? {
            scriptTokens: scripts.map(({ token: { name, script, fields, context } }) => ({
              name,
              script,
              fields,
              context,
            })),
          }
        : {}),
      ...(dynamic.length > 0
        ? {
            dynamicContents: dynamic.map(({ dc: { name, rules, defaultHtml } }) => ({ name, rules, defaultHtml })),
          }
        : {}),
    });
  }
}

function withSlot(
  draft: Draft,
  locale: string,
  instanceId: string,
  slotId: string,
  value: SlotValue | undefined,
): Draft {
  const content = draft.content[locale] ?? { slots: {} };
  const { [slotId]: _previous, ...values } = content.slots[instanceId] ?? {};
  if (value !== undefined) values[slotId] = value;
  return {
    ...draft,
    content: { ...draft.content, [locale]: { ...content, slots: { ...content.slots, [instanceId]: values } } },
  };
}

/**
 * Renders a draft for one locale and dialect: HTML, plain text, subject and preheader, size,
 * content hash, slot spans and every diagnostic (fallbacks, ignored values, personalization the
 * dialect cannot express, size). Only structural changes pay for an mjml compile.
 */
export async function render(template: Template, draft: Draft, options: RenderOptions = {}): Promise<RenderedEmail> {
  const renderer = new Renderer(setup(template, options));
  await renderer.load(draft);
  return renderer.result();
}

/** A draft open for editing with a live rendering (a preview studio, an editor). */
export interface RenderSession {
  /** The draft with every edit applied (validated). */
  readonly draft: Draft;
  /** The current rendering. */
  readonly email: RenderedEmail;
  /** Sets (or clears, with `undefined`) one slot value; `locale` defaults to the session's locale. */
  setSlot(instanceId: string, slotId: string, value: SlotValue | undefined, locale?: string): Promise<RenderedEmail>;
  /** Sets (or clears) the subject or preheader. */
  setField(field: 'subject' | 'preheader', value: string | undefined, locale?: string): Promise<RenderedEmail>;
  /** Replaces the whole draft (e.g. after modules were added or reordered). */
  setDraft(draft: Draft): Promise<RenderedEmail>;
}

/**
 * Opens a draft for editing: each edit validates only the changed value and re-fills only the
 * holes it touches, so a text edit costs microseconds; structural edits recompile with mjml.
 */
export async function createRenderSession(
  template: Template,
  draft: Draft,
  options: RenderOptions = {},
): Promise<RenderSession> {
  const renderer = new Renderer(setup(template, options));
  await renderer.load(draft);
  let email = renderer.result();
  const refresh = () => (email = renderer.result());
  return {
    get draft() {
      return renderer.currentDraft;
    },
    get email() {
      return email;
    },
    async setSlot(instanceId, slotId, value, locale) {
      await renderer.setSlot(instanceId, slotId, value, locale);
      return refresh();
    },
    async setField(field, value, locale) {
      const name: unknown = field;
      if (name !== 'subject' && name !== 'preheader')
        throw new HubspokeError(
          'E_VALIDATION',
          `field: expected "subject" or "preheader", got ${describeValue(field)}`,
          { path: 'field' },
        );
      await renderer.setField(field, value, locale);
      return refresh();
    },
    async setDraft(next) {
      await renderer.load(next);
      return refresh();
    },
  };
}

export interface PersonalizedEmail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

/** A draft compiled once for many preview recipients. */
export interface PreparedEmail {
  readonly locale: string;
  /** Diagnostics of filling the draft (fallbacks, ignored values, syntax errors). */
  readonly diagnostics: readonly Diagnostic[];
  /** Substitutes one recipient's data (neutral field paths → values); missing fields use fallbacks. */
  personalize(contact?: SampleContact | ContactFields): PersonalizedEmail;
}

export interface PrepareOptions {
  locale?: string;
  cache?: SkeletonSource;
}

/** Filled output with tokens left open: strings are final, tokens compile per recipient. */
type Open = (string | { part: TokenPart; context: OutputContext })[];

function openParts(holes: (HoleValue | undefined)[], chunks: readonly string[]): Open {
  const out: Open = [];
  const push = (s: string) => {
    const last = out.length - 1;
    if (typeof out[last] === 'string') out[last] += s;
    else out.push(s);
  };
  chunks.forEach((chunk, i) => {
    push(chunk);
    const hole = holes[i];
    if (!hole) return;
    for (const part of hole.context === 'text' ? hole.value.text : hole.value.html) {
      if (typeof part === 'string') push(part);
      else out.push({ part, context: hole.context });
    }
  });
  return out;
}

function joinOpen(open: Open, env: CompileEnv): string {
  let out = '';
  for (const item of open)
    out += typeof item === 'string' ? item : compileNodes([item.part.token], item.context, env, []);
  return out;
}

const ContactFieldsSchema = SampleContactSchema.shape.fields;

/**
 * Compiles a draft once for the preview dialect, for personalizing many recipients: each call to
 * `personalize` only substitutes that recipient's values into the filled output.
 */
export async function preparePreview(
  template: Template,
  draft: Draft,
  options: PrepareOptions = {},
): Promise<PreparedEmail> {
  const renderer = new Renderer(setup(template, { ...options, dialect: 'preview' }));
  await renderer.load(draft);
  const { diagnostics, locale } = renderer.result();
  const state = renderer.openState();
  const html = openParts(state.html, state.skeleton.html.chunks);
  const text = openParts(state.text, state.skeleton.text.chunks);
  const subject = openParts([state.subject], ['', '']);
  const preheader = openParts([state.preheader], ['', '']);
  const fieldMap = resolveFieldMap();
  return {
    locale,
    diagnostics,
    personalize(input) {
      const given: unknown = input;
      const raw =
        typeof given === 'object' && given !== null && 'fields' in given && 'id' in given ? given.fields : given;
      const contact: ContactFields | undefined =
        raw === undefined ? undefined : parse(ContactFieldsSchema, raw, 'contact');
      const env: CompileEnv = { dialect: 'preview', fieldMap, contact };
      return {
        subject: joinOpen(subject, env),
        preheader: joinOpen(preheader, env),
        html: joinOpen(html, env),
        text: tidyPlainText(joinOpen(text, env)),
      };
    },
  };
}

export interface SkeletonComparison {
  equal: boolean;
  skeleton: string;
  full: string;
  /** Offset of the first difference (after normalizing mjml's random element ids). */
  firstDifference?: number;
}

/** mjml gives carousels and navbars a random 16-hex-digit id per compile; number them in order instead. */
function normalizeRandomIds(html: string): string {
  const ids = new Map<string, string>();
  return html.replace(/\b[0-9a-f]{16}\b/g, (id) => {
    let n = ids.get(id);
    if (n === undefined) ids.set(id, (n = `random-id-${ids.size}`));
    return n;
  });
}

function compare(skeleton: string, full: string, normalize: (s: string) => string = (x) => x): SkeletonComparison {
  const a = normalize(skeleton);
  const b = normalize(full);
  if (a === b) return { equal: true, skeleton, full };
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  return { equal: false, skeleton, full, firstDifference: i };
}

/**
 * Checks the skeleton guarantee for one draft: the filled skeleton against a full mjml compile
 * of the same document (HTML), and the filled text skeleton against html-to-text run on the whole
 * reading view (plain text). Use it on your own templates; it costs one extra mjml compile.
 */
export async function verifySkeleton(
  template: Template,
  draft: Draft,
  options: RenderOptions = {},
): Promise<{ equal: boolean; html: SkeletonComparison; text: SkeletonComparison }> {
  const renderer = new Renderer(setup(template, options));
  await renderer.load(draft);
  const email = renderer.result();
  const full = await renderer.fullDocument();
  const html = compare(email.html, full.html, normalizeRandomIds);
  const text = compare(email.text, full.text);
  return { equal: html.equal && text.equal, html, text };
}

/**
 * The skeleton of a draft's structure for one locale: what a server answers to a browser's
 * `remoteSkeletons` request (JSON-serializable). Compiles with mjml unless the cache has it.
 */
export async function skeletonFor(
  template: Template,
  draft: Draft,
  options: Pick<RenderOptions, 'locale' | 'annotate' | 'cache'> = {},
): Promise<Skeleton> {
  const renderer = new Renderer(setup(template, options));
  await renderer.load(draft);
  return renderer.openState().skeleton;
}

/** The whole MJML document of a draft, values written in: what a full mjml2html of the same email compiles (benchmarks, debugging). */
export async function fullMjmlSource(template: Template, draft: Draft, options: RenderOptions = {}): Promise<string> {
  const renderer = new Renderer(setup(template, options));
  await renderer.load(draft);
  return renderer.fullSource();
}
