import { parse } from '@hubspoke/core';
import { z } from 'zod';
import { dataMessage, DATA_RULE } from '../tasks/prompt.js';
import {
  addUsage,
  TranslateRequestSchema,
  ZERO_USAGE,
  type Cost,
  type Provider,
  type TranslateRequest,
  type TranslateResult,
  type Translator,
  type Usage,
} from './provider.js';
import type { TranslateTask } from '../tasks/tasks.js';

export const TranslationOutputSchema = z.object({
  units: z.array(z.object({ id: z.string(), target: z.string().max(200_000) })).max(500),
});

/**
 * Translates through a chat model: units travel as quoted JSON data in batches, the answer
 * is validated with a schema (one repair retry in the provider), and placeholders are
 * checked by the caller. A fuzzy translation-memory match is offered as a reference.
 */
export function chatTranslator(provider: Provider, options: { batchSize?: number } = {}): Translator {
  const batchSize = Math.max(1, Math.min(100, options.batchSize ?? 20));
  return {
    info: provider.info,
    async translate(request: TranslateRequest, callOptions: { signal?: AbortSignal } = {}): Promise<TranslateResult> {
      parse(TranslateRequestSchema, request, 'request');
      const started = performance.now();
      const units: TranslateResult['units'] = [];
      let usage: Usage = ZERO_USAGE;
      let cost: Cost | undefined;
      let attempts = 0;
      let model = provider.info.model;
      let notice: string | undefined;
      for (let i = 0; i < request.units.length; i += batchSize) {
        const task: TranslateTask = {
          kind: 'translate',
          sourceLocale: request.sourceLocale,
          targetLocale: request.targetLocale,
          units: request.units.slice(i, i + batchSize),
        };
        const answer = await provider.complete(
          {
            system: systemPrompt(task),
            messages: [dataMessage(`Translate these ${task.units.length} units.`, { units: task.units })],
            schema: TranslationOutputSchema,
            task,
          },
          callOptions.signal === undefined ? {} : { signal: callOptions.signal },
        );
        const wanted = new Set(task.units.map((u) => u.id));
        units.push(...answer.value.units.filter((u) => wanted.delete(u.id)));
        usage = addUsage(usage, answer.usage);
        if (answer.cost !== undefined)
          cost = { amount: (cost?.amount ?? 0) + answer.cost.amount, currency: answer.cost.currency };
        attempts += answer.attempts;
        model = answer.model;
        notice = answer.notice ?? notice;
      }
      return {
        units,
        usage,
        ...(cost === undefined ? {} : { cost }),
        provider: provider.info.id,
        model,
        attempts,
        durationMs: performance.now() - started,
        ...(notice === undefined ? {} : { notice }),
      };
    },
  };
}

function systemPrompt(task: TranslateTask): string {
  return [
    `You are a professional translator of marketing emails. Translate each unit's "source" from ${task.sourceLocale} to ${task.targetLocale}.`,
    'Sources use XLIFF-like inline markup: text is XML-escaped, and each <x id="…"/> element stands for a personalization token or formatting.',
    'Copy every <x/> element exactly once and unchanged, where it belongs in the translation; add no other markup and keep the XML escaping.',
    'When a unit has "maxLength", keep its visible text within that many characters. "note" describes where the text appears.',
    '"reference" is an approved translation of a similar sentence: reuse its wording where it fits.',
    'Answer for every unit id.',
    DATA_RULE,
  ].join('\n');
}
