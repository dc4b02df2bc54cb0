import type { Location } from '@hubspoke/core';

/** How fix text must be escaped for the text it goes into. */
export type Escape = 'none' | 'html-text' | 'html-attr';

/** One stretch of a unit's text and where it sits in the source. `entity` pieces are decoded from a longer source. */
export interface Piece {
  readonly textStart: number;
  readonly textEnd: number;
  readonly sourceStart: number;
  readonly sourceEnd: number;
}

/** Maps unit text ranges back to source ranges. Contiguous when no tag or entity interrupts the range. */
export class OffsetMap {
  constructor(private readonly pieces: readonly Piece[]) {}

  static identity(length: number, sourceStart = 0): OffsetMap {
    return new OffsetMap([{ textStart: 0, textEnd: length, sourceStart, sourceEnd: sourceStart + length }]);
  }

  private find(offset: number, preferEnd: boolean): number {
    // Binary search for the piece holding `offset`; at a boundary, prefer the piece that ends there for ends.
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const piece = this.pieces[mid];
      if (piece === undefined) break;
      const beyond = preferEnd ? offset > piece.textEnd : offset >= piece.textEnd;
      if (beyond) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The source range of text [start, end), and whether it is one unbroken stretch of the source. */
  locate(start: number, end: number): { start: number; end: number; contiguous: boolean } {
    if (this.pieces.length === 0) return { start: 0, end: 0, contiguous: false };
    const i = this.find(start, false);
    const j = this.find(end, true);
    const first = this.pieces[i];
    const last = this.pieces[j];
    if (first === undefined || last === undefined) return { start: 0, end: 0, contiguous: false };
    const firstIsText = first.sourceEnd - first.sourceStart === first.textEnd - first.textStart;
    const lastIsText = last.sourceEnd - last.sourceStart === last.textEnd - last.textStart;
    const s = firstIsText ? first.sourceStart + (start - first.textStart) : first.sourceStart;
    const e = lastIsText ? last.sourceStart + (end - last.textStart) : last.sourceEnd;
    let contiguous = (firstIsText || start === first.textStart) && (lastIsText || end === last.textEnd);
    for (let k = i; contiguous && k < j; k++) {
      const a = this.pieces[k];
      const b = this.pieces[k + 1];
      if (a === undefined || a.sourceEnd !== b?.sourceStart) contiguous = false;
    }
    return { start: s, end: Math.max(s, e), contiguous };
  }
}

/** Line starts of a text, for 1-based line/column of an offset. */
// LineIndex lives in core (template-engine and the CLI use it too).
export { LineIndex } from '@hubspoke/core';

/**
 * A stable key for "the same located text", used to group fixes and suppressions. Rendered
 * HTML is one text, whatever slot span a finding in it falls in.
 */
export function locationKey(location: Location): string {
  if (location.source === 'html' && location.field === undefined)
    return ['html', location.file ?? '', location.locale ?? ''].join('\u0000');
  return [
    location.source ?? '',
    location.file ?? '',
    location.locale ?? '',
    location.field ?? '',
    location.instanceId ?? '',
    location.slotId ?? '',
    location.property ?? '',
  ].join('\u0000');
}

export function escapeFor(escape: Escape, text: string): string {
  switch (escape) {
    case 'none':
      return text;
    case 'html-text':
      return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    case 'html-attr':
      return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  }
}
