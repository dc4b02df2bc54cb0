import { HubspokeError, parse, safeParse } from '@hubspoke/core';
import { z } from 'zod';
import type {
  CallFacts,
  CompletionRequest,
  CompletionResult,
  JsonRequest,
  Provider,
  ProviderInfo,
  TextRequest,
  TranslateRequest,
  TranslateResult,
  Translator,
  Usage,
} from '../provider.js';
import { TranslateRequestSchema } from '../provider.js';
import { AssistTaskSchema, type AssistTask } from '../../tasks/tasks.js';
import { ruleAltTexts } from './alt-text-rules.js';
import { pseudoLocalize } from './pseudo-localize.js';
import { ruleVariants } from './subject-rules.js';

/** What the offline provider says about every answer. */
export const OFFLINE_NOTICE = 'Rule-based output from the offline provider: no AI model was called.';
export const PSEUDO_TRANSLATION_NOTICE =
  'Pseudo-translation from the offline provider: accented text in brackets for testing layouts and placeholders, not a real translation.';

/** The part of a request the offline provider reads: its task (the prompt is for models). */
const CompletionRequestShape = z.object({ task: AssistTaskSchema.optional() });

const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, characters: 0 };

/**
 * A deterministic provider that never touches the network: subject lines and preheaders
 * from phrase patterns and the draft's own sentences, alt text from file names and nearby
 * headings, pseudo-translations. Every answer carries a notice that it is rule-based, and
 * every rationale starts with "Rule-based (offline, no AI)".
 */
class OfflineProvider implements Provider, Translator {
  readonly info: ProviderInfo = { id: 'offline', model: 'rule-based', offline: true, images: false };

  complete(request: TextRequest): Promise<CompletionResult<string>>;
  complete<T>(request: JsonRequest<T>): Promise<CompletionResult<T>>;
  complete<T>(request: CompletionRequest<T>): Promise<CompletionResult<T | string>> {
    // The executor turns a refusal into a rejection, as every method that returns a promise does.
    return new Promise((resolve) => {
      resolve(this.#complete(request));
    });
  }

  #complete<T>(request: CompletionRequest<T>): Promise<CompletionResult<T | string>> {
    parse(CompletionRequestShape, request, 'request');
    const started = performance.now();
    const answer = request.task === undefined ? undefined : this.#answer(request.task);
    if (answer === undefined) {
      return Promise.reject(
        new HubspokeError(
          'E_UNSUPPORTED',
          `The offline provider answers only subject-variants, alt-text and translate tasks${request.task === undefined ? '' : `, not ${request.task.kind}`}`,
          {
            hint: 'configure a model provider such as createOpenAiCompatibleProvider for this',
          },
        ),
      );
    }
    const text = JSON.stringify(answer);
    let value: T | string = text;
    if (request.schema !== undefined) {
      const parsed = safeParse(request.schema, answer, 'answer');
      if (!parsed.ok)
        return Promise.reject(
          new HubspokeError(
            'E_INTERNAL',
            `The offline provider's answer does not fit the request schema: ${parsed.error.message}`,
          ),
        );
      value = parsed.value;
    }
    return Promise.resolve({
      text,
      value,
      ...this.#facts(started, request.task?.kind === 'translate' ? PSEUDO_TRANSLATION_NOTICE : OFFLINE_NOTICE),
    });
  }

  translate(request: TranslateRequest): Promise<TranslateResult> {
    return new Promise((resolve) => {
      const started = performance.now();
      const { units } = parse(TranslateRequestSchema, request, 'request');
      const targets = units.map((u) => ({ id: u.id, target: pseudoLocalize(u.source) }));
      resolve({ units: targets, ...this.#facts(started, PSEUDO_TRANSLATION_NOTICE) });
    });
  }

  #facts(started: number, notice: string): CallFacts {
    return {
      usage: NO_USAGE,
      cost: { amount: 0, currency: 'USD' },
      provider: this.info.id,
      model: this.info.model,
      attempts: 1,
      durationMs: performance.now() - started,
      notice,
    };
  }

  #answer(task: AssistTask): unknown {
    switch (task.kind) {
      case 'subject-variants':
        return { variants: ruleVariants(task) };
      case 'alt-text':
        return { images: ruleAltTexts(task) };
      case 'translate':
        return { units: task.units.map((u) => ({ id: u.id, target: pseudoLocalize(u.source) })) };
      case 'content-suggestions':
        return undefined;
    }
  }
}

/** The deterministic, network-free provider for tests, demos and air-gapped teams. */
export function createOfflineProvider(): Provider & Translator {
  return new OfflineProvider();
}
