import { HubspokeError } from '@hubspoke/core';

/** Whether bytes are complete, valid UTF-8. */
export type Utf8Test = (bytes: Uint8Array) => boolean;

/** Node's native check (simdutf), when running on Node; browsers fall back to a fatal `TextDecoder`. */
function nativeUtf8Test(): Utf8Test | undefined {
  if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') return undefined;
  const buffer = process.getBuiltinModule('node:buffer') as { isUtf8?: Utf8Test } | undefined;
  return typeof buffer?.isUtf8 === 'function' ? buffer.isUtf8 : undefined;
}
const NATIVE = nativeUtf8Test();

const EMPTY = new Uint8Array(0);

/** The error for bytes that are not UTF-8 text. */
export function notUtf8(cause?: unknown): HubspokeError {
  return new HubspokeError('E_VALIDATION', 'The metrics source is not valid UTF-8 text', {
    cause,
    hint: 'Save the file as UTF-8.',
  });
}

/** Bytes of the sequence that `lead` starts; 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead < 0xc2) return 0;
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  return lead < 0xf5 ? 4 : 0;
}

/** The allowed second bytes exclude overlong forms, surrogates and code points past U+10FFFF. */
function secondFits(lead: number, second: number): boolean {
  if (lead === 0xe0) return second >= 0xa0 && second <= 0xbf;
  if (lead === 0xed) return second >= 0x80 && second <= 0x9f;
  if (lead === 0xf0) return second >= 0x90 && second <= 0xbf;
  if (lead === 0xf4) return second >= 0x80 && second <= 0x8f;
  return second >= 0x80 && second <= 0xbf;
}

/** Where an unfinished sequence at the end of `bytes` starts (`bytes.length` when there is none). */
function unfinishedTail(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 3; i--) {
    const byte = bytes[i] ?? 0;
    if ((byte & 0xc0) !== 0x80) return sequenceLength(byte) > bytes.length - i ? i : bytes.length;
  }
  return bytes.length;
}

/** Whether an unfinished tail can still become a valid character. */
function startsValidly(tail: Uint8Array): boolean {
  const lead = tail[0] ?? 0;
  if (tail.length >= 2 && !secondFits(lead, tail[1] ?? 0)) return false;
  return tail.length < 3 || ((tail[2] ?? 0) & 0xc0) === 0x80;
}

/**
 * Checks a byte stream as strict UTF-8 chunk by chunk without decoding it, exactly as a fatal
 * streaming `TextDecoder` would judge it: a chunk with a bad sequence fails at once, a
 * character cut at the end of a chunk waits for the next. `take` returns the chunk's complete
 * characters (a cut character moves to the next chunk), so text never splits inside one, and
 * drops a BOM at the start of the stream.
 */
export class Utf8Stream {
  private tail: Uint8Array = EMPTY;
  /** Whether the first character has passed (a BOM there is dropped, as decoders do). */
  private started = false;
  private readonly decoder: InstanceType<typeof TextDecoder> | undefined;

  /** `test`: a native check; `null` (or no native one, as in browsers) checks with a fatal `TextDecoder`. */
  constructor(private readonly test: Utf8Test | null = NATIVE ?? null) {
    if (test === null) this.decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  }

  take(chunk: Uint8Array): Uint8Array {
    let bytes = chunk;
    if (this.tail.length > 0) {
      bytes = new Uint8Array(this.tail.length + chunk.length);
      bytes.set(this.tail);
      bytes.set(chunk, this.tail.length);
    }
    const cut = unfinishedTail(bytes);
    // A plain Uint8Array view even of a Node Buffer: the scanner then sees one kind of array (monomorphic, faster).
    const complete = new Uint8Array(bytes.buffer, bytes.byteOffset, cut);
    const tail = bytes.subarray(cut);
    if (this.decoder !== undefined) {
      try {
        this.decoder.decode(complete);
      } catch (cause) {
        throw notUtf8(cause);
      }
    } else if (this.test?.(complete) === false) throw notUtf8();
    if (!startsValidly(tail)) throw notUtf8();
    this.tail = tail.slice();
    if (!this.started && complete.length > 0) {
      this.started = true;
      if (complete[0] === 0xef && complete[1] === 0xbb && complete[2] === 0xbf) return complete.subarray(3);
    }
    return complete;
  }

  /** Fails when the stream stopped inside a character. */
  end(): void {
    if (this.tail.length > 0) throw notUtf8();
  }
}
