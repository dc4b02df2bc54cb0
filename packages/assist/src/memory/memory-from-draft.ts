import { DraftSchema, LocaleSchema, parse, TemplateSchema, type Draft, type Template } from '@hubspoke/core';
import { z } from 'zod';
import type { TmEntry } from './translation-memory.js';
import { extractUnits, hasWords, type TranslationUnit } from '../text/units.js';

const OptionsSchema = z
  .object({ sourceLocale: LocaleSchema.optional(), origin: z.string().max(256).optional() })
  .strict();

/**
 * Translation-memory entries from an approved draft: each translatable text of the source
 * locale paired with the same text in every other locale. Target placeholders are renumbered
 * to the source's, so tokens may sit elsewhere in the translation; pairs whose placeholders
 * differ are left out.
 */
export function memoryEntriesFromDraft(
  draft: Draft,
  template: Template,
  options: { sourceLocale?: string; origin?: string } = {},
): TmEntry[] {
  const d = parse(DraftSchema, draft, 'draft');
  const t = parse(TemplateSchema, template, 'template');
  const o = parse(OptionsSchema, options, 'options');
  const sourceLocale = o.sourceLocale ?? d.defaultLocale;
  const sources = new Map(extractUnits(d, t, sourceLocale).map((u) => [u.id, u]));
  const entries: TmEntry[] = [];
  for (const targetLocale of Object.keys(d.content).filter((l) => l !== sourceLocale)) {
    for (const target of extractUnits(d, t, targetLocale)) {
      const source = sources.get(target.id);
      if (source === undefined || !hasWords(source)) continue;
      const renumbered = inSourceIds(source, target);
      if (renumbered === undefined || renumbered === source.source) continue;
      entries.push({
        sourceLocale,
        targetLocale,
        source: source.source,
        target: renumbered,
        ...(o.origin === undefined ? {} : { origin: o.origin }),
      });
    }
  }
  return entries;
}

/** The target segment with each placeholder given the id of the same original in the source. */
function inSourceIds(source: TranslationUnit, target: TranslationUnit): string | undefined {
  if (source.placeholders.length !== target.placeholders.length) return undefined;
  const free = [...source.placeholders];
  const ids = new Map<string, string>();
  for (const p of target.placeholders) {
    const at = free.findIndex((s) => s.original === p.original);
    const match = free[at];
    if (match === undefined) return undefined;
    free.splice(at, 1);
    ids.set(p.id, match.id);
  }
  return target.source.replace(/<x id="(\d+)"\/>/g, (_, id: string) => `<x id="${ids.get(id) ?? id}"/>`);
}
