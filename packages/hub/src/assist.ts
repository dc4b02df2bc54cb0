import {
  DraftSchema,
  HubspokeError,
  LocaleSchema,
  parse,
  type Diagnostic,
  type Draft,
  type ImageValue,
  type LocaleContent,
  type Principal,
} from '@hubspoke/core';
import type { Provider } from '@hubspoke/assist';
import type { Hub } from './hub.js';

/** Which assistance a hub offers (an editor shows only these). */
export interface AssistCapabilities {
  subjects: boolean;
  altText: boolean;
  translate: boolean;
}

/** One suggestion with what the hub's brand rules found in it (`passed`: nothing at error level). */
export interface AssistSuggestion {
  text: string;
  diagnostics: Diagnostic[];
  passed: boolean;
}

export interface SuggestSubjectsInput {
  /** The draft as the spoke has it now (unsaved edits included); it must exist in the hub. */
  draft: unknown;
  locale: string;
  field?: 'subject' | 'preheader';
  /** How many passing variants to ask for, 1–10 (default 3). */
  count?: number;
  signal?: AbortSignal;
}

export interface SuggestAltTextInput {
  draft: unknown;
  locale: string;
  instanceId: string;
  slotId: string;
  /** The image the spoke sees when the draft has none of its own there (the template's default). */
  image?: { src: string; assetId?: string };
  signal?: AbortSignal;
}

export interface TranslateLocaleInput {
  /** The draft as the spoke has it now (unsaved edits included); it must exist in the hub. */
  draft: unknown;
  /** The locale to translate from (it must have content in the draft). */
  from: string;
  /** The locale to fill; text it already has is kept. */
  to: string;
  signal?: AbortSignal;
}

/** A locale's content translated by the hub's assistant, with what the checks found in it before anyone applies it. */
export interface LocaleTranslation {
  content: LocaleContent;
  /** What translating found (placeholders lost, lengths) and the hub's brand rules on the translated locale. */
  diagnostics: Diagnostic[];
  /** Nothing at error level. */
  passed: boolean;
}

const PROVIDERS = ['offline', 'openai'] as const;

/**
 * The hub's assistant provider, from its environment (the same names `hubspoke assist` reads):
 * `HUBSPOKE_AI_PROVIDER` = `offline` (rules and pseudo-translation, no network) or `openai` (an
 * OpenAI-compatible server: `HUBSPOKE_AI_BASE_URL`, `HUBSPOKE_AI_MODEL`, `HUBSPOKE_AI_API_KEY`).
 * Unset: the hub offers no assistance. A bad setting is `E_VALIDATION` naming the variable.
 */
export function assistProviderName(env: Record<string, string | undefined>): 'offline' | 'openai' | undefined {
  const name = env.HUBSPOKE_AI_PROVIDER;
  if (name === undefined || name === '') return undefined;
  if (!(PROVIDERS as readonly string[]).includes(name))
    throw new HubspokeError(
      'E_VALIDATION',
      `HUBSPOKE_AI_PROVIDER: expected one of ${PROVIDERS.join(', ')}, got ${JSON.stringify(name.slice(0, 40))}`,
      { path: 'HUBSPOKE_AI_PROVIDER' },
    );
  return name as 'offline' | 'openai';
}

/** What the hub's provider can do (nothing without one). */
export function assistCapabilities(env: Record<string, string | undefined>): AssistCapabilities {
  const on = assistProviderName(env) !== undefined;
  return { subjects: on, altText: on, translate: on };
}

const providers = new WeakMap<Hub, Promise<Provider>>();

async function providerOf(hub: Hub): Promise<Provider> {
  const name = assistProviderName(hub.env);
  if (name === undefined)
    throw new HubspokeError('E_UNSUPPORTED', 'This hub has no assistant configured', {
      hint: 'set HUBSPOKE_AI_PROVIDER=offline (or openai with HUBSPOKE_AI_BASE_URL and HUBSPOKE_AI_MODEL) where the hub runs',
    });
  let provider = providers.get(hub);
  if (provider === undefined) {
    provider = (async () => {
      const assist = await import('@hubspoke/assist');
      if (name === 'offline') return assist.createOfflineProvider();
      const { HUBSPOKE_AI_BASE_URL: baseUrl, HUBSPOKE_AI_MODEL: model, HUBSPOKE_AI_API_KEY: apiKey } = hub.env;
      if (baseUrl === undefined || baseUrl === '' || model === undefined || model === '')
        throw new HubspokeError(
          'E_VALIDATION',
          'HUBSPOKE_AI_PROVIDER=openai needs HUBSPOKE_AI_BASE_URL and HUBSPOKE_AI_MODEL',
          {
            path: baseUrl === undefined || baseUrl === '' ? 'HUBSPOKE_AI_BASE_URL' : 'HUBSPOKE_AI_MODEL',
          },
        );
      return assist.createOpenAiCompatibleProvider({ baseUrl, model, ...(apiKey ? { apiKey } : {}) });
    })();
    providers.set(hub, provider);
    provider.catch(() => providers.delete(hub));
  }
  return provider;
}

/** The draft as sent, checked against the stored one: it exists, and the principal may edit it. */
async function editable(hub: Hub, principal: Principal, input: unknown): Promise<Draft> {
  const draft = parse(DraftSchema, input, 'draft');
  const { draft: stored } = await hub.getDraft(principal, draft.id);
  await hub.authorize(principal, 'draft.edit', { region: stored.region, team: stored.team, ownerId: stored.author });
  if (draft.template.id !== stored.template.id || draft.template.version !== stored.template.version)
    throw new HubspokeError(
      'E_VALIDATION',
      `draft.template: ${draft.id} pins ${stored.template.id}@${stored.template.version}`,
      {
        path: 'draft.template',
      },
    );
  return { ...draft, author: stored.author, region: stored.region, team: stored.team };
}

/** The hub's brand rules on one candidate subject or preheader: linted in a draft of its own. */
async function brandCheckOf(hub: Hub, draft: Draft) {
  const linter = await hub.linter();
  return ({ field, text, locale }: { field: string; text: string; locale: string }) => {
    const as = field === 'preheader' ? 'preheader' : 'subject';
    const probe: Draft = { ...draft, defaultLocale: locale, content: { [locale]: { [as]: text, slots: {} } } };
    return linter
      .lint({ draft: probe, locales: [locale] })
      .diagnostics.filter((d) => d.location.field === as && (as === field || d.ruleId !== 'brand/subject-line'));
  };
}

const hasError = (diagnostics: readonly Diagnostic[]) => diagnostics.some((d) => d.severity === 'error');

/**
 * Subject-line (or preheader) variants from the hub's assistant for a draft the principal may
 * edit, each with what the brand rules found: the passing ones first, then those the brand rules
 * refused (so the spoke sees why), at most `count` of each.
 */
export async function suggestSubjects(
  hub: Hub,
  principal: Principal,
  input: SuggestSubjectsInput,
): Promise<AssistSuggestion[]> {
  const draft = await editable(hub, principal, input.draft);
  const locale = parse(LocaleSchema, input.locale, 'locale');
  const count = input.count ?? 3;
  const [provider, template, brandCheck] = await Promise.all([
    providerOf(hub),
    hub.template(draft.template.id, draft.template.version),
    brandCheckOf(hub, draft),
  ]);
  const assist = await import('@hubspoke/assist');
  const result = await assist.suggestSubjectLines({
    provider,
    brandCheck,
    draft,
    template,
    locale,
    field: input.field ?? 'subject',
    count,
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  const passed = result.variants.map((v) => ({
    text: v.text,
    diagnostics: v.diagnostics,
    passed: !hasError(v.diagnostics),
  }));
  const refused = result.rejected
    .filter((r) => r.reason === 'brand')
    .slice(0, count)
    .map((r) => ({ text: r.text, diagnostics: r.diagnostics, passed: false }));
  return [...passed, ...refused];
}

/**
 * Alt-text suggestions from the hub's assistant for one image slot of a draft the principal may
 * edit (its current alt text is ignored), each with what the checks found.
 */
export async function suggestAltText(
  hub: Hub,
  principal: Principal,
  input: SuggestAltTextInput,
): Promise<AssistSuggestion[]> {
  const draft = await editable(hub, principal, input.draft);
  const locale = parse(LocaleSchema, input.locale, 'locale');
  const own = draft.content[locale]?.slots[input.instanceId]?.[input.slotId];
  const value = own !== undefined && typeof own === 'object' && 'src' in own ? own : input.image;
  if (value === undefined || typeof value.src !== 'string')
    throw new HubspokeError(
      'E_NOT_FOUND',
      `content.${locale}.slots.${input.instanceId}.${input.slotId}: no image in this draft`,
      { path: `content.${locale}.slots.${input.instanceId}.${input.slotId}` },
    );
  // Only this image, its alt text cleared, so the assistant suggests for it alone.
  const image: ImageValue = { ...(value as ImageValue), alt: '' };
  const probe: Draft = {
    ...draft,
    content: {
      ...draft.content,
      [locale]: {
        ...draft.content[locale],
        slots: { [input.instanceId]: { ...draft.content[locale]?.slots[input.instanceId], [input.slotId]: image } },
      },
    },
  };
  const [provider, template] = await Promise.all([
    providerOf(hub),
    hub.template(draft.template.id, draft.template.version),
  ]);
  const assist = await import('@hubspoke/assist');
  const result = await assist.suggestAltText({
    provider,
    draft: probe,
    template,
    locales: [locale],
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  return result.suggestions
    .filter(
      (s) => s.instanceId === input.instanceId && s.slotId === input.slotId && s.alt !== undefined && s.alt !== '',
    )
    .map((s) => ({ text: s.alt ?? '', diagnostics: s.diagnostics, passed: !hasError(s.diagnostics) }));
}

/**
 * One locale of a draft the principal may edit, translated from another by the hub's assistant
 * (tokens and markup kept as placeholders, text the target already has kept), and pre-linted:
 * what translating reported plus the hub's brand rules on the translated locale, so the spoke
 * sees the findings before applying it. Nothing is saved.
 */
export async function translateLocale(
  hub: Hub,
  principal: Principal,
  input: TranslateLocaleInput,
): Promise<LocaleTranslation> {
  if (typeof input !== 'object' || (input as unknown) === null)
    throw new HubspokeError('E_VALIDATION', 'translateLocale: expected { draft, from, to }', { path: 'input' });
  const draft = await editable(hub, principal, input.draft);
  const from = parse(LocaleSchema, input.from, 'from');
  const to = parse(LocaleSchema, input.to, 'to');
  if (from === to)
    throw new HubspokeError('E_VALIDATION', `to: translating needs another locale than ${from}`, { path: 'to' });
  if (draft.content[from] === undefined)
    throw new HubspokeError('E_VALIDATION', `from: the draft has no content in ${from}`, { path: 'from' });
  const [provider, template, linter] = await Promise.all([
    providerOf(hub),
    hub.template(draft.template.id, draft.template.version),
    hub.linter(),
  ]);
  const assist = await import('@hubspoke/assist');
  const result = await assist.translateDraft({
    translator: provider,
    draft,
    template,
    sourceLocale: from,
    targetLocales: [to],
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  const content = result.draft.content[to];
  if (content === undefined) throw new HubspokeError('E_INTERNAL', `translate: no content came back for ${to}`);
  const brand = linter.lint({
    draft: result.draft,
    locales: [to],
    ...(draft.region === undefined ? {} : { region: draft.region }),
  }).diagnostics;
  const inTarget = (d: Diagnostic) => d.location.locale === undefined || d.location.locale === to;
  const diagnostics = [...result.diagnostics.filter(inTarget), ...brand.filter(inTarget)];
  return { content, diagnostics, passed: !hasError(diagnostics) };
}
