import type { Dialect } from '@hubspoke/core';
import { lexDialect, type LiveConstruct } from '../personalization/dialect-lexer.js';

/**
 * One piece of an output field whose origin is known: `data` spans are spoke text (escaped),
 * `code` spans are what the compiler wrote (tokens, escapes, the hub's platform code); the rest
 * of the piece, and everything between pieces, is the template's.
 */
export interface Piece<H> {
  offset: number;
  length: number;
  data: readonly number[];
  code: readonly number[];
  hole: H;
}

/** A live construct the compiler did not emit, and the piece it touches. */
export interface Foreign<H> {
  construct: LiveConstruct;
  text: string;
  hole: H | undefined;
}

/** Index of the first piece that ends after `at` (pieces are in order and do not overlap). */
function firstEndingAfter<H>(pieces: readonly Piece<H>[], at: number): number {
  let lo = 0;
  let hi = pieces.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid];
    if (p && p.offset + p.length <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Re-lexes a whole output field with the dialect's lexer and returns every live construct that
 * the compiler did not emit where it stands: one that contains spoke text, one that joins code
 * to the template or to other code, or one that is only part of what the compiler wrote.
 * Constructs wholly inside the template's own text are the hub's. `pieces` are in order.
 */
export function foreignConstructs<H>(dialect: Dialect, text: string, pieces: readonly Piece<H>[]): Foreign<H>[] {
  if (dialect === 'preview') return [];
  return foreignAmong(lexDialect(dialect, text), text, pieces);
}

/** `foreignConstructs` for constructs already lexed from `text`. */
export function foreignAmong<H>(
  constructs: readonly LiveConstruct[],
  text: string,
  pieces: readonly Piece<H>[],
): Foreign<H>[] {
  const foreign: Foreign<H>[] = [];
  for (const c of constructs) {
    // The code spans the construct touches, in order, and the first spoke text it holds.
    const code: number[] = [];
    let data: H | undefined;
    let dataFound = false;
    let first: H | undefined;
    for (let i = firstEndingAfter(pieces, c.start); i < pieces.length && !dataFound; i++) {
      const p = pieces[i];
      if (!p || p.offset >= c.end) break;
      const from = c.start - p.offset;
      const to = c.end - p.offset;
      for (let j = 0; j + 1 < p.data.length; j += 2)
        if ((p.data[j] ?? 0) < to && (p.data[j + 1] ?? 0) > from && (p.data[j + 1] ?? 0) > (p.data[j] ?? 0)) {
          data = p.hole;
          dataFound = true;
          break;
        }
      for (let j = 0; j + 1 < p.code.length; j += 2) {
        const start = p.code[j] ?? 0;
        const end = p.code[j + 1] ?? 0;
        if (start < to && end > from && end > start) {
          if (code.length === 0) first = p.hole;
          code.push(p.offset + start, p.offset + end);
        }
      }
    }
    let ok = !dataFound;
    if (ok && code.length > 0 && !(code.length === 2 && (code[0] ?? 0) <= c.start && c.end <= (code[1] ?? 0))) {
      // Across code spans: only exactly the code, with nothing of the template between.
      ok = c.start === code[0] && c.end === code[code.length - 1];
      for (let j = 2; ok && j < code.length; j += 2) ok = code[j - 1] === code[j];
    }
    if (!ok)
      foreign.push({
        construct: c,
        text: text.slice(c.start, Math.min(c.end, c.start + 80)),
        hole: dataFound ? data : first,
      });
  }
  return foreign;
}

/**
 * `foreignConstructs` for a text the compiler wrote whole (an Eloqua dynamic content section):
 * `data` spans are spoke text, everything else is the compiler's code.
 */
export function foreignInCompiled<H>(
  dialect: Dialect,
  text: string,
  data: readonly number[],
  hole: H,
): Foreign<H> | undefined {
  const code: number[] = [];
  let at = 0;
  for (let i = 0; i + 1 < data.length; i += 2) {
    code.push(at, data[i] ?? 0);
    at = data[i + 1] ?? 0;
  }
  code.push(at, text.length);
  return foreignConstructs(dialect, text, [{ offset: 0, length: text.length, data, code, hole }])[0];
}
