import type { SlotSpan } from '@hubspoke/core';
import type { Split } from './skeleton.js';

/** A filled hole: its text and UTF-8 size. */
export interface Filled {
  text: string;
  bytes: number;
}

/** Holes per segment: an edit re-joins about this many holes and their chunks. */
const SEGMENT = 8;

/** Holes set since the last mark that are remembered one by one; beyond, only that there were more. */
const MAX_CHANGED = 32;

/**
 * A skeleton with its holes filled, kept in segments of a few holes each. An edit re-joins only
 * its segment; the document is the concatenation of the segments, which V8 keeps as a rope until
 * it is first read, so an edit does not copy the whole 50 KB email.
 */
export class Assembly<T extends Filled> {
  private readonly segments: string[] = [];
  private readonly segmentBytes: number[] = [];
  /** Indices of the holes set since the last `mark()` (in the order set, repeats kept), unless `overflow`. */
  private readonly changed: number[] = [];
  private overflow = false;
  private epoch = 0;

  constructor(
    private readonly split: Split,
    private readonly holes: T[],
  ) {
    for (let s = 0; s * SEGMENT < holes.length; s++) this.rebuild(s);
  }

  get(i: number): T | undefined {
    return this.holes[i];
  }

  get all(): readonly T[] {
    return this.holes;
  }

  set(i: number, filled: T): void {
    this.holes[i] = filled;
    this.rebuild(Math.floor(i / SEGMENT));
    if (this.overflow) return;
    if (this.changed.length < MAX_CHANGED) this.changed.push(i);
    else {
      this.overflow = true;
      this.changed.length = 0;
    }
  }

  /**
   * Starts a new record of the holes set from now on and returns its mark. Every hole not in
   * `changedSince(mark)` is still the very object it was when the mark was taken.
   */
  mark(): number {
    this.changed.length = 0;
    this.overflow = false;
    return ++this.epoch;
  }

  /**
   * The indices of the holes set since `mark` was taken (in the order set, possibly repeated), or
   * undefined when that is not known: a later mark was taken, or more holes were set than are
   * remembered. Valid until the next `set` or `mark`.
   */
  changedSince(mark: number): readonly number[] | undefined {
    return mark === this.epoch && !this.overflow ? this.changed : undefined;
  }

  text(): string {
    let out = this.split.chunks[0] ?? '';
    for (const segment of this.segments) out += segment;
    return out;
  }

  bytes(): number {
    let total = this.split.chunkBytes[0] ?? 0;
    for (const b of this.segmentBytes) total += b;
    return total;
  }

  /** Where each hole's text lands in `text()`, for the holes `span` names (it fills in start and end). */
  spans(span: (hole: T, start: number, end: number) => SlotSpan | undefined): SlotSpan[] {
    const out: SlotSpan[] = [];
    let offset = this.split.chunks[0]?.length ?? 0;
    for (let i = 0; i < this.holes.length; i++) {
      const hole = this.holes[i];
      if (!hole) continue;
      const where = span(hole, offset, offset + hole.text.length);
      if (where) out.push(where);
      offset += hole.text.length + (this.split.chunks[i + 1]?.length ?? 0);
    }
    return out;
  }

  private rebuild(segment: number): void {
    let text = '';
    let bytes = 0;
    const end = Math.min((segment + 1) * SEGMENT, this.holes.length);
    for (let h = segment * SEGMENT; h < end; h++) {
      const hole = this.holes[h];
      text += (hole?.text ?? '') + (this.split.chunks[h + 1] ?? '');
      bytes += (hole?.bytes ?? 0) + (this.split.chunkBytes[h + 1] ?? 0);
    }
    this.segments[segment] = text;
    this.segmentBytes[segment] = bytes;
  }
}
