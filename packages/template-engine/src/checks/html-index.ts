import { LineIndex, type Location, type SlotSpan } from '@hubspoke/core';

/** Maps offsets in rendered HTML to line/column and to the slot whose value is there. */
export class HtmlIndex {
  private readonly lines: LineIndex;

  constructor(
    readonly html: string,
    private readonly spans: readonly SlotSpan[] = [],
  ) {
    this.lines = new LineIndex(html);
  }

  offsetOf(line: number, column: number): number {
    return this.lines.offsetOf(line, column);
  }

  position(offset: number): { line: number; column: number } {
    return this.lines.position(offset);
  }

  /**
   * The slot a range belongs to: the span containing it, or else the one slot whose spans all
   * lie inside it (a link element around a link slot's text and href).
   */
  slotAt(start: number, end = start, enclosing = true): SlotSpan | undefined {
    const containing = this.spans.find((s) => s.start <= start && end <= Math.max(s.end, s.start + 1));
    if (containing || !enclosing) return containing;
    const inside = this.spans.filter((s) => start <= s.start && s.end <= end);
    const first = inside[0];
    if (!first || !inside.every((s) => s.instanceId === first.instanceId && s.slotId === first.slotId))
      return undefined;
    return { instanceId: first.instanceId, slotId: first.slotId, start: first.start, end: first.end };
  }

  /**
   * A location in the HTML, naming the slot when the range lies in a slot's value (or, with
   * `enclosing`, when it encloses exactly one slot's values).
   */
  location(start: number, end: number, locale?: string, enclosing = true): Location {
    const from = this.position(start);
    const to = this.position(end);
    const location: Location = {
      source: 'html',
      start,
      end,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
    };
    if (locale !== undefined) location.locale = locale;
    const slot = this.slotAt(start, end, enclosing);
    if (slot) {
      location.instanceId = slot.instanceId;
      location.slotId = slot.slotId;
      if (slot.property !== undefined) location.property = slot.property;
    }
    return location;
  }
}
