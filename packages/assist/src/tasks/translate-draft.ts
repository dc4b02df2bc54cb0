import {
  DraftSchema,
  HubspokeError,
  LocaleSchema,
  parse,
  TemplateSchema,
  type Diagnostic,
  type Draft,
  type LocaleContent,
  type Location,
  type Template,
} from '@hubspoke/core';
import { z } from 'zod';
import { MemorySchema, SignalSchema, TranslatorSchema } from '../option-schemas.js';
import { assistDiagnostic } from './brand-check.js';
import { callReport, totals, type CallReport, type CallTotals } from './calls.js';
import { chatTranslator } from '../providers/chat-translator.js';
import type { Provider, TranslateUnitInput, Translator } from '../providers/provider.js';
import type { TmMatch, TranslationMemory } from '../memory/translation-memory.js';
import { extractUnits, hasWords, restore, type TranslationUnit } from '../text/units.js';

export interface TranslateDraftOptions {
  draft: Draft;
  template: Template;
  targetLocales: string[];
  /** A translation service, or a chat provider (wrapped with {@link chatTranslator}). */
  translator: Translator | Provider;
  /** Default: the draft's default locale. */
  sourceLocale?: string;
  /** Exact matches are reused without a call; the best fuzzy match is offered as a reference. */
  memory?: TranslationMemory;
  /** Lowest fuzzy score offered as a reference. Default 0.75. */
  minFuzzyScore?: number;
  /** Replace text the target locale already has. Default false: existing text is kept. */
  overwrite?: boolean;
  /** Store machine translations that restored cleanly in `memory`. Default false (keep the memory for approved text). */
  learn?: boolean;
  signal?: AbortSignal;
}

export interface UnitResult {
  id: string;
  location: Location;
  /** `translated` by the service, reused from `memory`, `kept` (target had text), `copied` (nothing to translate), or `failed`. */
  status: 'translated' | 'memory' | 'kept' | 'copied' | 'failed';
  source: string;
  /** The target segment as the service (or memory) returned it. */
  target?: string;
  /** The restored slot text now in the draft. */
  value?: string;
  /** The memory match used: exact (reused) or fuzzy (offered as reference). */
  match?: TmMatch;
  diagnostics: Diagnostic[];
}

export interface TranslateDraftResult extends CallTotals {
  /** The draft with the target locales filled in; failed units are left out (the fallback chain covers them). */
  draft: Draft;
  sourceLocale: string;
  units: Record<string, UnitResult[]>;
  diagnostics: Diagnostic[];
}

const OptionsSchema = z
  .object({
    draft: DraftSchema,
    template: TemplateSchema,
    targetLocales: z.array(LocaleSchema).min(1),
    translator: TranslatorSchema,
    sourceLocale: LocaleSchema.optional(),
    memory: MemorySchema.optional(),
    minFuzzyScore: z.number().min(0.3).max(1).optional(),
    overwrite: z.boolean().optional(),
    learn: z.boolean().optional(),
    signal: SignalSchema.optional(),
  })
  .strict();

/**
 * Translates a draft's text into target locales through XLIFF-like units. Tokens and markup
 * travel as protected placeholders and must come back unchanged; length limits are checked;
 * a translation memory gives exact reuse and fuzzy references. Nothing is dropped silently:
 * every unit has a status and diagnostics.
 */
export async function translateDraft(options: TranslateDraftOptions): Promise<TranslateDraftResult> {
  const o = parse(OptionsSchema, options, 'options');
  const sourceLocale = o.sourceLocale ?? o.draft.defaultLocale;
  const sourceContent = o.draft.content[sourceLocale];
  if (sourceContent === undefined) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid options.sourceLocale: the draft has no content for "${sourceLocale}"`,
      { path: 'options.sourceLocale' },
    );
  }
  const translator: Translator = 'translate' in o.translator ? o.translator : chatTranslator(o.translator);
  const units = extractUnits(o.draft, o.template, sourceLocale);
  const draft = structuredClone(o.draft);
  const results: Record<string, UnitResult[]> = {};
  const calls: CallReport[] = [];

  for (const locale of o.targetLocales.filter((l) => l !== sourceLocale)) {
    const existing = o.draft.content[locale];
    const content = mergeContent(sourceContent, existing);
    const unitResults: UnitResult[] = [];
    const pending: { unit: TranslationUnit; result: UnitResult; reference?: TmMatch }[] = [];

    for (const unit of units) {
      const location = { ...unit.location, locale };
      const result: UnitResult = { id: unit.id, location, status: 'copied', source: unit.source, diagnostics: [] };
      unitResults.push(result);
      const current = existing === undefined ? undefined : readText(existing, unit.location);
      if (o.overwrite !== true && current !== undefined && current.trim() !== '') {
        result.status = 'kept';
        result.value = current;
        continue;
      }
      if (!hasWords(unit)) continue;
      const matches =
        o.memory === undefined
          ? []
          : await o.memory.lookup(
              { sourceLocale, targetLocale: locale, source: unit.source },
              { minScore: o.minFuzzyScore ?? 0.75, limit: 2 },
            );
      const exact = matches.find((m) => m.kind === 'exact');
      if (exact !== undefined) {
        const restored = restore({ ...unit, location }, exact.target);
        if (restored.value !== undefined) {
          Object.assign(result, {
            status: 'memory',
            target: exact.target,
            value: restored.value,
            match: exact,
            diagnostics: restored.diagnostics,
          });
          writeText(content, unit.location, restored.value);
          continue;
        }
      }
      const reference = matches.find((m) => m.kind === 'fuzzy');
      pending.push({ unit, result, ...(reference === undefined ? {} : { reference }) });
    }

    if (pending.length > 0) {
      const request: TranslateUnitInput[] = pending.map(({ unit, reference }) => ({
        id: unit.id,
        source: unit.source,
        ...(unit.maxLength === undefined ? {} : { maxLength: unit.maxLength }),
        ...(unit.note === undefined ? {} : { note: unit.note }),
        ...(reference === undefined
          ? {}
          : { reference: { source: reference.source, target: reference.target, score: reference.score } }),
      }));
      const answer = await translator.translate(
        { sourceLocale, targetLocale: locale, units: request },
        options.signal === undefined ? {} : { signal: options.signal },
      );
      calls.push(callReport('translate', answer));
      const targets = new Map(answer.units.map((u) => [u.id, u.target]));
      const learned: { source: string; target: string }[] = [];
      for (const { unit, result, reference } of pending) {
        if (reference !== undefined) result.match = reference;
        const target = targets.get(unit.id);
        if (target === undefined) {
          result.status = 'failed';
          result.diagnostics.push(
            assistDiagnostic(
              'translation-missing',
              'error',
              'The translator returned nothing for this text',
              result.location,
            ),
          );
          continue;
        }
        const restored = restore({ ...unit, location: result.location }, target);
        result.target = target;
        result.diagnostics.push(...restored.diagnostics);
        if (restored.value === undefined) {
          result.status = 'failed';
          continue;
        }
        result.status = 'translated';
        result.value = restored.value;
        writeText(content, unit.location, restored.value);
        if (restored.diagnostics.length === 0) learned.push({ source: unit.source, target });
      }
      if (o.learn === true && o.memory !== undefined && learned.length > 0) {
        await o.memory.add(
          learned.map((l) => ({ sourceLocale, targetLocale: locale, ...l, origin: `machine:${answer.provider}` })),
        );
      }
    }
    draft.content[locale] = content;
    results[locale] = unitResults;
  }

  return {
    draft: parse(DraftSchema, draft, 'translated draft'),
    sourceLocale,
    units: results,
    diagnostics: Object.values(results).flatMap((list) => list.flatMap((r) => r.diagnostics)),
    ...totals(calls),
  };
}

/** The source locale's content as a base, with every value the target locale already has on top. */
function mergeContent(source: LocaleContent, target: LocaleContent | undefined): LocaleContent {
  const merged = structuredClone(source);
  if (target === undefined) return merged;
  if (target.subject !== undefined) merged.subject = target.subject;
  if (target.preheader !== undefined) merged.preheader = target.preheader;
  for (const [instanceId, slots] of Object.entries(target.slots)) {
    merged.slots[instanceId] = { ...merged.slots[instanceId], ...structuredClone(slots) };
  }
  return merged;
}

function readText(content: LocaleContent, at: Location): string | undefined {
  if (at.field === 'subject') return content.subject;
  if (at.field === 'preheader') return content.preheader;
  const value = content.slots[at.instanceId ?? '']?.[at.slotId ?? ''];
  if (typeof value === 'string') return at.property === undefined ? value : undefined;
  if (typeof value !== 'object') return undefined;
  if (at.property === 'alt' && 'src' in value) return value.alt;
  if (at.property === 'text' && 'href' in value) return value.text;
  return undefined;
}

function writeText(content: LocaleContent, at: Location, text: string): void {
  if (at.field === 'subject' || at.field === 'preheader') {
    content[at.field] = text;
    return;
  }
  const slots = (content.slots[at.instanceId ?? ''] ??= {});
  const slotId = at.slotId ?? '';
  const value = slots[slotId];
  if (at.property === undefined) slots[slotId] = text;
  else if (at.property === 'alt' && typeof value === 'object' && 'src' in value) value.alt = text;
  else if (at.property === 'text' && typeof value === 'object' && 'href' in value) value.text = text;
}
