import { HubspokeError } from './errors/hubspoke-error.js';
/** Maps character offsets in a text to 1-based line and column, and back (binary search over line starts). */
export class LineIndex {
  private readonly starts: number[] = [0];
  private readonly length: number;

  constructor(text: string) {
    if (typeof text !== 'string')
      throw new HubspokeError('E_VALIDATION', 'Invalid text: LineIndex expected a string', { path: 'text' });
    this.length = text.length;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** Offset where 1-based `line` starts; the text's length past the last line. */
  offsetOfLine(line: number): number {
    return this.starts[line - 1] ?? this.length;
  }

  /** Offset of a 1-based line and column. */
  offsetOf(line: number, column: number): number {
    return this.offsetOfLine(line) + column - 1;
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}
