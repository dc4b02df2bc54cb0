import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sseData } from './sse.js';

function streamOf(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const p of pieces) controller.enqueue(encoder.encode(p));
      controller.close();
    },
  });
}

async function collect(pieces: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const data of sseData(streamOf(pieces))) out.push(data);
  return out;
}

describe('sseData', () => {
  it('yields data per event, joining multi-line data and skipping comments and other fields', async () => {
    expect(await collect([': ping\n\nevent: x\ndata: a\ndata:b\n\nid: 3\ndata: [DONE]\n\n'])).toEqual([
      'a\nb',
      '[DONE]',
    ]);
  });

  it('accepts CR, LF and CRLF line ends and a last event without a blank line', async () => {
    expect(await collect(['data: 1\r\rdata: 2\r\n\r\ndata: 3'])).toEqual(['1', '2', '3']);
  });

  it('gives the same events however the bytes are split (property)', async () => {
    const body = 'data: {"a":"Grüße 👋"}\r\n\r\n: c\n\ndata: x\ndata: y\n\ndata: [DONE]\n\n';
    const bytes = new TextEncoder().encode(body);
    const expected = await collect([body]);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 8 }),
        async (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          const chunks = points.slice(1).map((end, i) => bytes.slice(points[i], end));
          const stream = new ReadableStream<Uint8Array>({
            start(controller) {
              for (const c of chunks) controller.enqueue(c);
              controller.close();
            },
          });
          const out: string[] = [];
          for await (const data of sseData(stream)) out.push(data);
          expect(out).toEqual(expected);
        },
      ),
    );
  });
});
