/**
 * Reads a Server-Sent Events body and yields each event's `data` (multi-line data joined
 * with `\n`). Comments (`: ping`) and other fields are skipped; CRLF, CR and LF all end lines.
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A trailing CR may be the first half of CRLF: wait for the next chunk unless done.
      const lines = buffer.split(/\r\n|\r(?!$)|\n/);
      buffer = done ? '' : (lines.pop() ?? '');
      if (done && lines.at(-1) === '') lines.pop();
      for (const raw of lines) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line[5] === ' ' ? 6 : 5));
        }
      }
      if (done) {
        if (data.length > 0) yield data.join('\n');
        return;
      }
    }
  } finally {
    // Closes the connection when the consumer stops early; harmless after the end.
    await reader.cancel().catch(() => undefined);
  }
}
