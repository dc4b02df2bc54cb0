import { HubspokeError, isHubspokeError } from '@hubspoke/core';
import { notUtf8, Utf8Stream } from './utf8.js';

/** Anything text can be read from: a string, bytes, a Node stream, a web stream or any (async) iterable of chunks. */
export type TextSource = string | Uint8Array | ReadableStream<unknown> | AsyncIterable<unknown> | Iterable<unknown>;

function isReadableStream(value: unknown): value is ReadableStream<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { getReader?: unknown }).getReader === 'function'
  );
}

/** Items of any collection or stream, one at a time (web streams through their reader, so browsers work too). */
export async function* items(
  source: ReadableStream<unknown> | AsyncIterable<unknown> | Iterable<unknown>,
): AsyncGenerator {
  if (isReadableStream(source)) {
    const reader = source.getReader();
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  yield* source;
}

const PIECE = 65_536;

/** Large chunks in 64 KiB pieces: measured 1.5–2× faster to split and parse than 1 MiB at a time, and batches of rows stay small. */
function* pieces<T extends string | Uint8Array>(chunk: T): Generator<T> {
  if (chunk.length <= PIECE) yield chunk;
  else
    for (let i = 0; i < chunk.length; i += PIECE)
      yield (typeof chunk === 'string' ? chunk.slice(i, i + PIECE) : chunk.subarray(i, i + PIECE)) as T;
}

/** The chunks of a streamed source as they come, strings or bytes; cancellation and failures become `HubspokeError`s. */
async function* chunks(
  source: ReadableStream<unknown> | AsyncIterable<unknown> | Iterable<unknown>,
  signal?: AbortSignal,
): AsyncGenerator<string | Uint8Array> {
  try {
    for await (const chunk of items(source)) {
      if (signal?.aborted === true)
        throw new HubspokeError('E_ABORTED', 'Metrics import was cancelled', { cause: signal.reason });
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) yield chunk;
      else {
        throw new HubspokeError(
          'E_VALIDATION',
          `The metrics source yielded ${chunk === null ? 'null' : typeof chunk}; a text format reads strings or bytes`,
          {
            hint: 'Pass format: "objects" to ingest row objects.',
          },
        );
      }
    }
  } catch (error) {
    if (isHubspokeError(error)) throw error;
    throw new HubspokeError(
      'E_UPSTREAM',
      `Reading the metrics source failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** A strict streaming UTF-8 decoder (a leading BOM is dropped). */
function textDecoder(): (bytes?: Uint8Array) => string {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  return (bytes) => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch (cause) {
      throw notUtf8(cause);
    }
  };
}

/** Decodes a byte or string source to text chunks; bytes must be UTF-8. */
export async function* textChunks(source: TextSource, signal?: AbortSignal): AsyncGenerator<string> {
  if (typeof source === 'string') {
    yield* pieces(source);
    return;
  }
  const decode = textDecoder();
  if (source instanceof Uint8Array) {
    // All of it is here: a cut last character fails before any row is read.
    yield* pieces(decode(source) + decode());
    return;
  }
  for await (const chunk of chunks(source, signal)) yield* pieces(typeof chunk === 'string' ? chunk : decode(chunk));
  const tail = decode();
  if (tail !== '') yield tail;
}

const encoder = new TextEncoder();

/**
 * A source in pieces for a reader that takes bytes as well as text: bytes stay bytes, checked
 * as strict UTF-8 without being decoded (whole characters, a leading BOM dropped, exactly as
 * {@link textChunks} would accept them). A source that starts with text is read as text.
 */
export async function* textOrBytes(source: TextSource, signal?: AbortSignal): AsyncGenerator<string | Uint8Array> {
  if (typeof source === 'string') {
    yield* pieces(source);
    return;
  }
  const utf8 = new Utf8Stream();
  if (source instanceof Uint8Array) {
    const bytes = utf8.take(source);
    utf8.end();
    yield* pieces(bytes);
    return;
  }
  let decode: ((bytes?: Uint8Array) => string) | undefined;
  let first = true;
  for await (const chunk of chunks(source, signal)) {
    if (first && typeof chunk === 'string') decode = textDecoder();
    first = false;
    if (decode !== undefined) yield* pieces(typeof chunk === 'string' ? chunk : decode(chunk));
    else yield* pieces(utf8.take(typeof chunk === 'string' ? encoder.encode(chunk) : chunk));
  }
  if (decode === undefined) utf8.end();
  else {
    const tail = decode();
    if (tail !== '') yield tail;
  }
}
