import { HubspokeError, isHubspokeError } from '@hubspoke/core';

/** Anything text can be read from: a string, bytes, a Node stream, a web stream or any (async) iterable of chunks. */
export type TextSource = string | Uint8Array | ReadableStream<unknown> | AsyncIterable<unknown> | Iterable<unknown>;

function isReadableStream(value: unknown): value is ReadableStream<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { getReader?: unknown }).getReader === 'function';
}

/** Items of any collection or stream, one at a time (web streams through their reader, so browsers work too). */
export async function* items(source: ReadableStream<unknown> | AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator {
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

/** Large chunks in 64 KiB pieces: measured 1.5–2× faster to split and parse than 1 MiB at a time. */
function* pieces(text: string): Generator<string> {
  if (text.length <= PIECE) yield text;
  else for (let i = 0; i < text.length; i += PIECE) yield text.slice(i, i + PIECE);
}

/** Decodes a byte or string source to text chunks; bytes must be UTF-8. */
export async function* textChunks(source: TextSource, signal?: AbortSignal): AsyncGenerator<string> {
  if (typeof source === 'string') {
    yield* pieces(source);
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const decode = (bytes: Uint8Array | undefined, stream: boolean): string => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream });
    } catch (cause) {
      throw new HubspokeError('E_VALIDATION', 'The metrics source is not valid UTF-8 text', { cause, hint: 'Save the file as UTF-8.' });
    }
  };
  if (source instanceof Uint8Array) {
    yield* pieces(decode(source, false));
    return;
  }
  try {
    for await (const chunk of items(source)) {
      if (signal?.aborted === true) throw new HubspokeError('E_ABORTED', 'Metrics import was cancelled', { cause: signal.reason });
      if (typeof chunk === 'string') yield* pieces(chunk);
      else if (chunk instanceof Uint8Array) yield* pieces(decode(chunk, true));
      else {
        throw new HubspokeError('E_VALIDATION', `The metrics source yielded ${chunk === null ? 'null' : typeof chunk}; a text format reads strings or bytes`, {
          hint: 'Pass format: "objects" to ingest row objects.',
        });
      }
    }
  } catch (error) {
    if (isHubspokeError(error)) throw error;
    throw new HubspokeError('E_UPSTREAM', `Reading the metrics source failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const tail = decode(undefined, false);
  if (tail !== '') yield tail;
}
