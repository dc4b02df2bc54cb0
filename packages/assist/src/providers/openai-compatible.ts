import { HubspokeError, parse, type Redactor } from '@hubspoke/core';
import { z } from 'zod';
import { joinUrl, redact, redactorFor, statusError, withRetries, type HttpSettings } from './http.js';
import { jsonSchemaText, parseJsonOutput, repairMessage } from './json-output.js';
import {
  addUsage,
  costOf,
  type ChatMessage,
  type CompletionOptions,
  type CompletionRequest,
  type CompletionResult,
  type JsonRequest,
  type Pricing,
  type Provider,
  type ProviderInfo,
  type TextRequest,
  type Usage,
} from './provider.js';
import { HttpSettingsShape } from '../option-schemas.js';
import { sseData } from './sse.js';

export interface OpenAiCompatibleConfig extends HttpSettings {
  /** The API root, e.g. `https://api.openai.com/v1` or a local server's `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  /** Sent as a Bearer token; local servers usually need none. Never logged or put in errors. */
  apiKey?: string;
  model: string;
  /** Stream the answer over SSE (reported through `onDelta`). Default false. */
  stream?: boolean;
  /**
   * How JSON answers are requested: `json_schema` (strict structured output), `json_object`
   * (JSON mode) or `prompt` (the schema in the instructions only, for servers with neither).
   * The schema is always in the instructions too. Default `json_object`.
   */
  jsonMode?: 'json_schema' | 'json_object' | 'prompt';
  /** The model accepts image parts (`image_url`). Default false: image parts are left out. */
  images?: boolean;
  pricing?: Pricing;
  /** Extra headers, e.g. an organisation id. */
  headers?: Record<string, string>;
  temperature?: number;
  maxOutputTokens?: number;
}

const ConfigSchema = z
  .object({
    baseUrl: z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+[^\s?#]*$/i, { error: 'expected an http(s) URL like https://api.example.com/v1' }),
    apiKey: z.string().min(1).optional(),
    model: z.string().min(1).max(200),
    stream: z.boolean().optional(),
    jsonMode: z.enum(['json_schema', 'json_object', 'prompt']).optional(),
    images: z.boolean().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    ...HttpSettingsShape,
  })
  .strict();

const RequestSchema = z.object({
  system: z.string().max(100_000),
  messages: z
    .array(
      z.object({
        role: z.enum(['user', 'assistant']),
        content: z.union([
          z.string(),
          z.array(
            z.union([
              z.object({ type: z.literal('text'), text: z.string() }),
              z.object({ type: z.literal('image'), url: z.string().min(1) }),
            ]),
          ),
        ]),
      }),
    )
    .min(1),
  temperature: z.number().min(0).max(2).optional(),
  maxOutputTokens: z.number().int().positive().optional(),
});

const UsageSchema = z
  .object({ prompt_tokens: z.number().nonnegative(), completion_tokens: z.number().nonnegative() })
  .loose();

const CompletionBodySchema = z
  .object({
    model: z.string().optional(),
    choices: z
      .array(
        z
          .object({
            message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }).loose(),
            finish_reason: z.string().nullish(),
          })
          .loose(),
      )
      .min(1),
    usage: UsageSchema.nullish(),
  })
  .loose();

const ChunkSchema = z
  .object({
    model: z.string().optional(),
    choices: z
      .array(z.object({ delta: z.object({ content: z.string().nullish() }).loose().optional() }).loose())
      .optional(),
    usage: UsageSchema.nullish(),
    error: z.unknown().optional(),
  })
  .loose();

/** One answered request; `usage` is undefined when the server reported none. */
interface Answer {
  text: string;
  usage: Usage | undefined;
  model: string;
}

type Sent = Answer & { usage: Usage; attempts: number };

/**
 * A provider for any server that speaks the OpenAI chat-completions API (hosted vendors,
 * and local servers such as llama.cpp, vLLM or Ollama). Retries 429/5xx/timeouts honouring
 * `Retry-After`, streams over SSE, validates JSON answers with the request's zod schema and
 * asks once for a repair.
 */
export function createOpenAiCompatibleProvider(config: OpenAiCompatibleConfig): Provider {
  parse(ConfigSchema, config, 'config');
  return new OpenAiCompatibleProvider(config);
}

class OpenAiCompatibleProvider implements Provider {
  readonly info: ProviderInfo;
  readonly #config: OpenAiCompatibleConfig;
  readonly #redactor: Redactor;

  constructor(config: OpenAiCompatibleConfig) {
    this.#config = config;
    this.#redactor = redactorFor(config);
    this.info = { id: 'openai-compatible', model: config.model, offline: false, images: config.images ?? false };
  }

  complete(request: TextRequest, options?: CompletionOptions): Promise<CompletionResult<string>>;
  complete<T>(request: JsonRequest<T>, options?: CompletionOptions): Promise<CompletionResult<T>>;
  complete<T>(request: CompletionRequest<T>, options: CompletionOptions = {}): Promise<CompletionResult<T | string>> {
    // Whatever escapes carries no credential, however the server or the network put it.
    return this.#complete(request, options).catch((error: unknown) =>
      Promise.reject(this.#redactor.error(error, 'E_UPSTREAM')),
    );
  }

  async #complete<T>(request: CompletionRequest<T>, options: CompletionOptions): Promise<CompletionResult<T | string>> {
    parse(RequestSchema, request, 'request');
    const started = performance.now();
    const schema = request.schema;
    const schemaText = schema === undefined ? undefined : jsonSchemaText(schema);
    const system =
      schema === undefined
        ? request.system
        : `${request.system}\n\nAnswer with only one JSON value${schemaText === undefined ? '' : ` that matches this JSON Schema: ${schemaText}`}`;
    const messages = [...request.messages];
    let sent = await this.#send(system, messages, request, options);
    let { usage, attempts } = sent;
    if (schema === undefined) return this.#result(sent, sent.text, usage, attempts, started);

    let outcome = parseJsonOutput(sent.text, schema);
    if (!outcome.ok) {
      messages.push(
        { role: 'assistant', content: sent.text },
        { role: 'user', content: repairMessage(outcome.problem) },
      );
      sent = await this.#send(system, messages, request, options);
      usage = addUsage(usage, sent.usage);
      attempts += sent.attempts;
      outcome = parseJsonOutput(sent.text, schema);
    }
    if (!outcome.ok) {
      throw new HubspokeError(
        'E_UPSTREAM',
        `The model's answer did not match the expected shape after one repair attempt: ${outcome.problem}`,
        {
          details: { problem: outcome.problem, attempts, usage },
          hint: 'try a larger model, jsonMode "json_schema", or a lower temperature',
        },
      );
    }
    return this.#result(sent, outcome.value, usage, attempts, started);
  }

  #result<V>(sent: Answer, value: V, usage: Usage, attempts: number, started: number): CompletionResult<V> {
    const cost = costOf(usage, this.#config.pricing);
    return {
      text: sent.text,
      value,
      usage,
      ...(cost === undefined ? {} : { cost }),
      provider: this.info.id,
      model: sent.model,
      attempts,
      durationMs: performance.now() - started,
    };
  }

  async #send(
    system: string,
    messages: ChatMessage[],
    request: CompletionRequest,
    options: CompletionOptions,
  ): Promise<Sent> {
    const config = this.#config;
    const stream = config.stream === true;
    const body: Record<string, unknown> = {
      model: config.model,
      messages: [{ role: 'system', content: system }, ...messages.map((m) => this.#wireMessage(m))],
      stream,
    };
    const temperature = request.temperature ?? config.temperature;
    if (temperature !== undefined) body.temperature = temperature;
    const maxTokens = request.maxOutputTokens ?? config.maxOutputTokens;
    if (maxTokens !== undefined) body.max_tokens = maxTokens;
    if (stream) body.stream_options = { include_usage: true };
    if (request.schema !== undefined) {
      const mode = config.jsonMode ?? 'json_object';
      if (mode === 'json_object') body.response_format = { type: 'json_object' };
      if (mode === 'json_schema') {
        body.response_format = {
          type: 'json_schema',
          json_schema: { name: 'answer', schema: z.toJSONSchema(request.schema, { unrepresentable: 'any' }) },
        };
      }
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      ...config.headers,
    };
    if (config.apiKey !== undefined) headers.authorization = `Bearer ${config.apiKey}`;
    const url = joinUrl(config.baseUrl, 'chat/completions');
    const fetchImpl = config.fetch ?? globalThis.fetch;
    const inputChars = JSON.stringify(body.messages).length;

    const run = await withRetries('the model server', config, options.signal, async (signal) => {
      const response = await fetchImpl(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
      if (!response.ok) throw await statusError('the model server', response, this.#redactor);
      return stream ? this.#readStream(response, signal, options) : this.#readJson(response);
    });
    const { text, model, usage } = run.value;
    const estimate: Usage = {
      inputTokens: Math.ceil(inputChars / 4),
      outputTokens: Math.ceil(text.length / 4),
      characters: 0,
      estimated: true,
    };
    return { text, model, usage: usage ?? estimate, attempts: run.attempts };
  }

  #wireMessage(message: ChatMessage): Record<string, unknown> {
    if (typeof message.content === 'string') return { role: message.role, content: message.content };
    const parts = message.content.flatMap((part): Record<string, unknown>[] => {
      if (part.type === 'text') return [{ type: 'text', text: part.text }];
      return this.info.images ? [{ type: 'image_url', image_url: { url: part.url } }] : [];
    });
    return { role: message.role, content: parts };
  }

  async #readJson(response: Response): Promise<Answer> {
    const raw: unknown = await response.json().catch(() => undefined);
    const parsed = CompletionBodySchema.safeParse(raw);
    if (!parsed.success) {
      throw new HubspokeError('E_UPSTREAM', 'The model server answered something that is not a chat completion');
    }
    const choice = parsed.data.choices[0];
    const text = choice?.message.content;
    if (typeof text !== 'string') {
      const refusal = choice?.message.refusal;
      throw new HubspokeError(
        'E_UPSTREAM',
        refusal == null ? 'The model returned no text' : `The model refused: ${redact(refusal, this.#redactor, 300)}`,
      );
    }
    return { text, usage: toUsage(parsed.data.usage), model: parsed.data.model ?? this.#config.model };
  }

  async #readStream(response: Response, signal: AbortSignal, options: CompletionOptions): Promise<Answer> {
    if (response.body === null) throw new HubspokeError('E_UPSTREAM', 'The model server sent an empty stream');
    let text = '';
    let usage: z.infer<typeof UsageSchema> | null | undefined;
    let model = this.#config.model;
    let finished = false;
    try {
      for await (const data of sseData(response.body)) {
        if (data.trim() === '[DONE]') {
          finished = true;
          break;
        }
        let json: unknown;
        try {
          json = JSON.parse(data);
        } catch {
          throw new HubspokeError('E_UPSTREAM', 'The model server sent a stream event that is not JSON');
        }
        const chunk = ChunkSchema.safeParse(json);
        if (!chunk.success)
          throw new HubspokeError('E_UPSTREAM', 'The model server sent a stream event of an unknown shape');
        if (chunk.data.error !== undefined) {
          throw new HubspokeError(
            'E_UPSTREAM',
            `The model server reported an error mid-stream: ${redact(JSON.stringify(chunk.data.error), this.#redactor, 300)}`,
          );
        }
        if (chunk.data.model !== undefined) model = chunk.data.model;
        if (chunk.data.usage != null) usage = chunk.data.usage;
        const delta = chunk.data.choices?.[0]?.delta?.content;
        if (typeof delta === 'string' && delta !== '') {
          text += delta;
          options.onDelta?.(delta);
        }
      }
    } catch (error) {
      // After text reached the caller a retry would repeat it: fail instead.
      if (text !== '' && options.onDelta !== undefined) {
        throw new HubspokeError(
          signal.aborted ? 'E_TIMEOUT' : 'E_UPSTREAM',
          'The model stream broke after part of the answer was delivered',
          {
            cause: error,
            details: { retryable: false },
          },
        );
      }
      throw error;
    }
    if (!finished && usage == null)
      throw new HubspokeError('E_UPSTREAM', 'The model stream ended without [DONE]', {
        details: { retryable: text === '' || options.onDelta === undefined },
      });
    return { text, usage: toUsage(usage), model };
  }
}

function toUsage(usage: z.infer<typeof UsageSchema> | null | undefined): Usage | undefined {
  return usage == null
    ? undefined
    : { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens, characters: 0 };
}
