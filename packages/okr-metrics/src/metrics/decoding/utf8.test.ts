import { isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Stream } from './utf8.js';

const encoder = new TextEncoder();

/** Bytes near UTF-8's edges: ASCII, every kind of lead and continuation byte, the BOM, real characters. */
const tricky = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }).map((b) => [b]),
  fc
    .constantFrom(
      0x80,
      0x8f,
      0x90,
      0x9f,
      0xa0,
      0xbb,
      0xbf,
      0xc0,
      0xc1,
      0xc2,
      0xdf,
      0xe0,
      0xe1,
      0xed,
      0xee,
      0xef,
      0xf0,
      0xf1,
      0xf4,
      0xf5,
      0xff,
    )
    .map((b) => [b]),
  fc.constantFrom('é', '€', '👋', '\uFEFF', '\u{10FFFF}', 'a').map((c) => [...encoder.encode(c)]),
);
const byteStream = fc
  .tuple(fc.array(tricky, { maxLength: 40 }), fc.array(fc.nat({ max: 200 }), { maxLength: 6 }))
  .map(([parts, cuts]) => {
    const bytes = Uint8Array.from(parts.flat());
    const points = [0, ...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length];
    return points.slice(1).map((end, i) => bytes.slice(points[i], end));
  });

interface Outcome {
  /** The chunk that failed (chunks.length: the end of the stream), or -1. */
  failedAt: number;
  text: string;
}

/**
 * The reference: where a fatal streaming TextDecoder fails, and for a valid stream the text of one
 * decode of all its bytes (the same by the standard; Node 24's streaming decoder also drops a BOM
 * that follows a character split across chunks, which the standard keeps).
 */
function decoded(chunks: Uint8Array[]): Outcome {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const [i, chunk] of chunks.entries()) {
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      return { failedAt: i, text: '' };
    }
  }
  try {
    decoder.decode();
  } catch {
    return { failedAt: chunks.length, text: '' };
  }
  const all = Uint8Array.from(chunks.flatMap((chunk) => [...chunk]));
  return { failedAt: -1, text: new TextDecoder('utf-8', { fatal: true }).decode(all) };
}

function checked(chunks: Uint8Array[], stream: Utf8Stream): Outcome {
  const kept: number[] = [];
  for (const [i, chunk] of chunks.entries()) {
    try {
      kept.push(...stream.take(chunk));
    } catch (error) {
      expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
      return { failedAt: i, text: '' };
    }
  }
  try {
    stream.end();
  } catch {
    return { failedAt: chunks.length, text: '' };
  }
  return { failedAt: -1, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(Uint8Array.from(kept)) };
}

describe('Utf8Stream', () => {
  it('judges every chunk as a fatal streaming TextDecoder does, and passes on the same text (property)', () => {
    fc.assert(
      fc.property(byteStream, (chunks) => {
        const expected = decoded(chunks);
        expect(checked(chunks, new Utf8Stream())).toEqual(expected);
        // Without Node's native check (as in a browser).
        expect(checked(chunks, new Utf8Stream(null))).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('hands on whole characters only, holding a cut one for the next chunk', () => {
    const stream = new Utf8Stream();
    const euro = encoder.encode('a€');
    expect([...stream.take(euro.subarray(0, 2))]).toEqual([0x61]);
    expect([...stream.take(euro.subarray(2))]).toEqual([0xe2, 0x82, 0xac]);
    stream.end();
  });

  it('drops a BOM only at the start of the stream, even when it arrives in pieces', () => {
    const stream = new Utf8Stream();
    expect([...stream.take(Uint8Array.of(0xef))]).toEqual([]);
    expect([...stream.take(Uint8Array.of(0xbb, 0xbf, 0x7b))]).toEqual([0x7b]);
    expect([...stream.take(Uint8Array.of(0xef, 0xbb, 0xbf))]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('fails at once on a sequence that cannot become a character, and at the end on a cut one', () => {
    expect(() => new Utf8Stream().take(Uint8Array.of(0x61, 0xe0, 0x80))).toThrow(/not valid UTF-8/);
    const cut = new Utf8Stream();
    cut.take(Uint8Array.of(0x61, 0xe2, 0x82));
    expect(() => {
      cut.end();
    }).toThrow(/not valid UTF-8/);
  });
});
