import {
  countDiagnostics,
  DialectSchema,
  HubspokeError,
  parse,
  type Diagnostic,
  type DiagnosticCounts,
  type Dialect,
  type RenderedEmail,
} from '@hubspoke/core';
import { render } from '@hubspoke/template-engine';
import { darkModeOption } from './dark-mode.js';
import { stopIfAborted } from './abort.js';
import { localesOf, validDraft } from './check.js';
import type { Hub } from './hub.js';
import { DRAFT_TEMPLATE_PATHS, knownReferences, unknownReference } from './references.js';

export interface RenderAllOptions {
  /** Default `['preview']`. */
  dialects?: readonly Dialect[];
  /** Only these of the draft's locales (default: all). */
  locales?: readonly string[];
  /** Preview only: the id of a sample contact from the hub's settings whose data fills the tokens. */
  contact?: string;
  /** Mark each slot's element with `data-hs-slot` (preview studios; never for production). */
  annotate?: boolean;
  /** Stops between renders (`E_ABORTED`). */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** One locale × dialect: the email and its findings sorted into the report's categories. */
export interface RenderedVariant {
  locale: string;
  dialect: Dialect;
  email: RenderedEmail;
  counts: DiagnosticCounts;
  size: Diagnostic[];
  accessibility: Diagnostic[];
  compatibility: Diagnostic[];
  personalization: Diagnostic[];
  other: Diagnostic[];
}

type Category = 'size' | 'accessibility' | 'compatibility' | 'personalization';
/** Rule-id prefixes of render findings, by report category. */
const CATEGORIES: Partial<Record<string, Category>> = {
  size: 'size',
  a11y: 'accessibility',
  compat: 'compatibility',
  personalization: 'personalization',
};

function variantOf(locale: string, dialect: Dialect, email: RenderedEmail): RenderedVariant {
  const variant: RenderedVariant = {
    locale,
    dialect,
    email,
    counts: countDiagnostics(email.diagnostics),
    size: [],
    accessibility: [],
    compatibility: [],
    personalization: [],
    other: [],
  };
  for (const d of email.diagnostics) {
    const category = CATEGORIES[d.ruleId.split('/')[0] ?? ''];
    (category === undefined ? variant.other : variant[category]).push(d);
  }
  return variant;
}

/**
 * Each asked-for locale is one the draft has content in or one the hub defines (`E_NOT_FOUND` at
 * `locales[i]` with did-you-mean): a misspelt locale would otherwise render nothing, silently.
 */
async function assertLocalesKnown(hub: Hub, own: readonly string[], wanted: readonly string[]): Promise<void> {
  const missing = wanted.findIndex((l) => !own.includes(l));
  if (missing === -1) return;
  const known = await knownReferences(hub);
  const all = new Set([...own, ...known.locales]);
  wanted.forEach((locale, i) => {
    if (typeof locale !== 'string' || !all.has(locale))
      throw unknownReference(
        'locale',
        locale,
        all,
        `locales[${i}]`,
        `neither the draft nor the hub has the locale ${JSON.stringify(locale)}`,
      );
  });
}

/** Renders a draft for every locale × dialect (dialect by dialect), with size, accessibility, compatibility and personalization findings. */
export async function renderAll(hub: Hub, input: unknown, options: RenderAllOptions = {}): Promise<RenderedVariant[]> {
  const draft = await validDraft(hub, input);
  const dialects = (options.dialects ?? ['preview']).map((d, i) => parse(DialectSchema, d, `dialects[${i}]`));
  const settings = await hub.settings();
  const contact =
    options.contact === undefined ? undefined : settings.sampleContacts.find((c) => c.id === options.contact);
  if (options.contact !== undefined && contact === undefined)
    throw new HubspokeError('E_NOT_FOUND', `contact "${options.contact}": no such sample contact`, {
      path: 'contact',
      hint: `known: ${settings.sampleContacts.map((c) => c.id).join(', ') || '(none)'}`,
    });
  const template = await hub.template(draft.template.id, draft.template.version, DRAFT_TEMPLATE_PATHS);
  const dark = darkModeOption(await hub.brandKit());
  const own = localesOf(draft);
  if (options.locales !== undefined) await assertLocalesKnown(hub, own, options.locales);
  const locales = own.filter((l) => options.locales === undefined || options.locales.includes(l));
  const total = locales.length * dialects.length;
  const variants: RenderedVariant[] = [];
  for (const dialect of dialects) {
    for (const locale of locales) {
      stopIfAborted(options.signal);
      // The same draft rendered again under the same definition is the hub's kept result.
      const key =
        contact === undefined && options.annotate !== true
          ? hub.results.key('render', draft, locale, dialect)
          : hub.results.key('render', draft, locale, dialect, contact?.id ?? null, options.annotate === true);
      const email = await hub.results.get(key, () =>
        render(template, draft, {
          locale,
          dialect,
          fieldMap: settings.fieldMap,
          ...dark,
          ...(contact === undefined ? {} : { sampleContact: contact }),
          ...(options.annotate === true ? { annotate: true } : {}),
        }),
      );
      variants.push(variantOf(locale, dialect, email));
      options.onProgress?.(variants.length, total);
    }
  }
  return variants;
}
