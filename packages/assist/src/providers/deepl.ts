import { HubspokeError, parse } from '@hubspoke/core';
import { z } from 'zod';
import { joinUrl, redactorFor, statusError, withRetries, type HttpSettings } from './http.js';
import { HttpSettingsShape } from '../option-schemas.js';
import {
  addUsage,
  costOf,
  TranslateRequestSchema,
  ZERO_USAGE,
  type Pricing,
  type ProviderInfo,
  type TranslateRequest,
  type TranslateResult,
  type Translator,
  type Usage,
} from './provider.js';
import { textLength } from '../text/text-length.js';

export interface DeeplConfig extends HttpSettings {
  /** Sent as `Authorization: DeepL-Auth-Key …`; never logged or put in errors. */
  apiKey: string;
  /** Default: the Free API for keys ending in `:fx`, else the Pro API. Any DeepL-compatible server works. */
  baseUrl?: string;
  /** `more`, `less`, `prefer_more`, `prefer_less` (only some target languages support it). */
  formality?: 'default' | 'more' | 'less' | 'prefer_more' | 'prefer_less';
  glossaryId?: string;
  /** Override the DeepL language code for a locale, e.g. `{ "en": "EN-GB" }`. */
  languageCodes?: Record<string, string>;
  pricing?: Pricing;
}

const ConfigSchema = z
  .object({
    apiKey: z.string().min(1, { error: 'expected an API key' }),
    baseUrl: z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+[^\s?#]*$/i, { error: 'expected an http(s) URL' })
      .optional(),
    formality: z.enum(['default', 'more', 'less', 'prefer_more', 'prefer_less']).optional(),
    glossaryId: z.string().min(1).optional(),
    languageCodes: z
      .record(
        z.string(),
        z.string().regex(/^[A-Z]{2,3}(?:-[A-Z]{2,4})?$/, { error: 'expected a DeepL code like "EN-GB"' }),
      )
      .optional(),
    ...HttpSettingsShape,
  })
  .strict();

const ResponseSchema = z.object({
  translations: z.array(
    z
      .object({
        text: z.string(),
        detected_source_language: z.string().optional(),
        billed_characters: z.number().int().nonnegative().optional(),
      })
      .loose(),
  ),
});

/** DeepL accepts at most 50 texts per request. */
const BATCH = 50;

/**
 * A translator for the DeepL API (`POST /v2/translate`) and servers compatible with it.
 * Placeholders travel as `<x id="…"/>` elements with `tag_handling=xml` and `ignore_tags=x`,
 * so the service keeps them. Usage counts billed characters.
 */
export function createDeeplTranslator(config: DeeplConfig): Translator {
  parse(ConfigSchema, config, 'config');
  const baseUrl =
    config.baseUrl ?? (config.apiKey.endsWith(':fx') ? 'https://api-free.deepl.com' : 'https://api.deepl.com');
  const info: ProviderInfo = { id: 'deepl', model: 'deepl', offline: false, images: false };
  const redactor = redactorFor(config);
  const fetchImpl = config.fetch ?? globalThis.fetch;

  const code = (locale: string, target: boolean): string => {
    const mapped = config.languageCodes?.[locale];
    if (mapped !== undefined) return mapped;
    const [language = '', , region] = /^([a-z]{2,3})(?:-([A-Z][a-z]{3}))?(?:-([A-Z]{2}))?/.exec(locale)?.slice(1) ?? [];
    if (!target) return language.toUpperCase();
    const upper = language.toUpperCase();
    if (upper === 'EN') return region === 'GB' ? 'EN-GB' : 'EN-US';
    if (upper === 'PT') return region === 'BR' ? 'PT-BR' : 'PT-PT';
    if (upper === 'ZH') return locale.includes('Hant') || region === 'TW' || region === 'HK' ? 'ZH-HANT' : 'ZH-HANS';
    return upper;
  };

  async function translate(
    request: TranslateRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<TranslateResult> {
    parse(TranslateRequestSchema, request, 'request');
    const started = performance.now();
    const units: TranslateResult['units'] = [];
    let usage: Usage = ZERO_USAGE;
    let attempts = 0;
    for (let i = 0; i < request.units.length; i += BATCH) {
      const batch = request.units.slice(i, i + BATCH);
      const body: Record<string, unknown> = {
        text: batch.map((u) => u.source),
        source_lang: code(request.sourceLocale, false),
        target_lang: code(request.targetLocale, true),
        tag_handling: 'xml',
        ignore_tags: ['x'],
        show_billed_characters: true,
      };
      if (config.formality !== undefined) body.formality = config.formality;
      if (config.glossaryId !== undefined) body.glossary_id = config.glossaryId;
      const run = await withRetries('the translation service', config, options.signal, async (signal) => {
        const response = await fetchImpl(joinUrl(baseUrl, 'v2/translate'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `DeepL-Auth-Key ${config.apiKey}` },
          body: JSON.stringify(body),
          signal,
        });
        if (response.status === 456) {
          throw new HubspokeError('E_RATE_LIMITED', 'The translation quota is used up (HTTP 456)', {
            details: { status: 456, reason: 'quota' },
            hint: 'raise the cost-control limit or wait for the next billing period',
          });
        }
        if (!response.ok) throw await statusError('the translation service', response, redactor);
        const parsed = ResponseSchema.safeParse(await response.json().catch(() => undefined));
        if (!parsed.success || parsed.data.translations.length !== batch.length) {
          throw new HubspokeError(
            'E_UPSTREAM',
            `The translation service answered something unexpected (expected ${batch.length} translations)`,
          );
        }
        return parsed.data.translations;
      });
      attempts += run.attempts;
      let characters = 0;
      run.value.forEach((translation, k) => {
        const unit = batch[k];
        if (unit === undefined) return;
        units.push({ id: unit.id, target: translation.text });
        characters += translation.billed_characters ?? textLength(unit.source);
      });
      usage = addUsage(usage, { inputTokens: 0, outputTokens: 0, characters });
    }
    const cost = costOf(usage, config.pricing);
    return {
      units,
      usage,
      ...(cost === undefined ? {} : { cost }),
      provider: info.id,
      model: info.model,
      attempts,
      durationMs: performance.now() - started,
    };
  }

  return {
    info,
    // Whatever escapes carries no credential, however the service or the network put it.
    translate: (request, options) =>
      translate(request, options).catch((error: unknown) => Promise.reject(redactor.error(error, 'E_UPSTREAM'))),
  };
}
