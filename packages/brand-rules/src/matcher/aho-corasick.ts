import { HubspokeError } from '@hubspoke/core';
import { foldCase, foldEquivalents, isWordCharAt } from './fold.js';

/** Patterns as the automaton reads them (each an object with a `term` string), checked before any work. */
function checkPatterns(patterns: unknown): asserts patterns is readonly Pattern[] {
  if (!Array.isArray(patterns))
    throw new HubspokeError('E_VALIDATION', 'Invalid patterns: TermAutomaton expected an array of patterns', {
      path: 'patterns',
    });
  for (const [i, pattern] of patterns.entries()) {
    if (typeof (pattern as Partial<Pattern> | null)?.term !== 'string')
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid patterns[${String(i)}]: expected { term, caseSensitive, nonword }`,
        {
          path: `patterns[${String(i)}]`,
        },
      );
  }
}

/** One pattern of an automaton, as given. */
export interface Pattern {
  readonly term: string;
  readonly caseSensitive: boolean;
  /** Match inside words too; otherwise only where the term's edges are word edges. */
  readonly nonword: boolean;
}

export interface PatternHit {
  readonly pattern: number;
  readonly start: number;
  readonly end: number;
}

/**
 * An Aho–Corasick automaton over case-folded UTF-16 units: one pass over a text finds every
 * occurrence of every pattern, so matching time depends on the text, not on how many terms
 * there are. Case-sensitive patterns are verified against the original text after a hit.
 */
export class TermAutomaton {
  private readonly next: Map<number, number>[] = [new Map<number, number>()];
  private readonly fail: number[] = [0];
  /** Patterns ending at each node, including those reached by failure links. */
  private readonly out: number[][] = [[]];
  private readonly lengths: number[] = [];
  private readonly patterns: readonly Pattern[];

  constructor(patterns: readonly Pattern[]) {
    checkPatterns(patterns);
    this.patterns = patterns;
    patterns.forEach((pattern, id) => {
      const folded = foldCase(pattern.term);
      this.lengths.push(folded.length);
      let node = 0;
      for (let i = 0; i < folded.length; i++) {
        const code = folded.charCodeAt(i);
        const edges = this.next[node] ?? new Map<number, number>();
        let child = edges.get(code);
        if (child === undefined) {
          child = this.next.length;
          edges.set(code, child);
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
        }
        node = child;
      }
      this.out[node]?.push(id);
    });
    this.link();
  }

  get size(): number {
    return this.patterns.length;
  }

  private link(): void {
    const queue: number[] = [];
    for (const child of (this.next[0] ?? new Map<number, number>()).values()) queue.push(child);
    // Breadth first; the loop also visits children pushed while it runs.
    for (const node of queue) {
      for (const [code, child] of this.next[node] ?? []) {
        let f = this.fail[node] ?? 0;
        while (f !== 0 && !(this.next[f]?.has(code) ?? false)) f = this.fail[f] ?? 0;
        const target = this.next[f]?.get(code);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = this.out[this.fail[child] ?? 0] ?? [];
        if (inherited.length > 0) this.out[child] = [...(this.out[child] ?? []), ...inherited];
        queue.push(child);
      }
    }
  }

  /** Every hit in `text`, in order of end offset. `folded` may be passed when already computed. */
  scan(text: string, folded: string = foldCase(text)): PatternHit[] {
    const hits: PatternHit[] = [];
    let node = 0;
    for (let i = 0; i < folded.length; i++) {
      const code = folded.charCodeAt(i);
      let target = this.next[node]?.get(code);
      while (target === undefined && node !== 0) {
        node = this.fail[node] ?? 0;
        target = this.next[node]?.get(code);
      }
      node = target ?? 0;
      const ending = this.out[node];
      if (ending === undefined || ending.length === 0) continue;
      for (const id of ending) {
        const length = this.lengths[id] ?? 0;
        const start = i + 1 - length;
        if (this.accepts(id, text, start, i + 1)) hits.push({ pattern: id, start, end: i + 1 });
      }
    }
    return hits;
  }

  private accepts(id: number, text: string, start: number, end: number): boolean {
    const pattern = this.patterns[id];
    if (pattern === undefined) return false;
    if (pattern.caseSensitive && foldEquivalents(text.slice(start, end)) !== foldEquivalents(pattern.term))
      return false;
    if (pattern.nonword) return true;
    const term = pattern.term;
    if (isWordCharAt(term, 0) && isWordCharAt(text, start - 1)) return false;
    if (isWordCharAt(term, term.length - 1) && isWordCharAt(text, end)) return false;
    return true;
  }
}
