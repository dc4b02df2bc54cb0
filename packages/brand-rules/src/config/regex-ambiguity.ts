import { CharSet, type Assertion, type Char, type Concatenation, type Element, type Expression, type Quantifier } from 'refa';
import type { RegexHazard } from './regex-guard.js';

/** A counted repetition of more than this many (of a longer body) is analysed as a loop. */
export const LOOP_REPEATS = 10;
/** Copies of a counted body the automaton spells out; more are analysed as a loop. */
const MAX_COPIES = 32;
/** Size limits of the automaton and of the pairs of its states compared. */
const MAX_POSITIONS = 4000;
const MAX_EDGES = 200_000;
const MAX_PAIRS = 100_000;

/** The analysis would take too long: the pattern is not vouched for. */
export class Unverifiable extends Error {}

/** A piece of the position automaton: where it can start and end, and whether it can match nothing. */
interface Fragment {
  readonly first: readonly number[];
  readonly last: readonly number[];
  /** Last positions after which the piece can end without crossing an assertion. */
  readonly freeLast: readonly number[];
  readonly nullable: boolean;
  readonly freeNullable: boolean;
}

const EMPTY: Fragment = { first: [], last: [], freeLast: [], nullable: true, freeNullable: true };
const ASSERTION: Fragment = { ...EMPTY, freeNullable: false };

function sequence(a: Fragment, b: Fragment): Fragment {
  return {
    first: a.nullable ? [...a.first, ...b.first] : a.first,
    last: b.nullable ? [...a.last, ...b.last] : b.last,
    freeLast: b.freeNullable ? [...a.freeLast, ...b.freeLast] : b.freeLast,
    nullable: a.nullable && b.nullable,
    freeNullable: a.freeNullable && b.freeNullable,
  };
}

function optional(a: Fragment): Fragment {
  return { ...a, nullable: true, freeNullable: true };
}

/**
 * The position (Glushkov) automaton of a regex: one state per character class it reads, an edge
 * p → q when q can read right after p. Each path is one way the backtracking engine can match,
 * so two paths reading the same text are two ways it will try. Lookaround bodies are set aside
 * to be analysed on their own: inside the pattern they match nothing.
 */
class PositionAutomaton {
  readonly chars: CharSet[] = [];
  readonly follow: Set<number>[] = [];
  /** The loops around each position, outermost first. */
  readonly loops: (readonly Quantifier[])[] = [];
  /** Edges a loop added a second time: the same step is then taken in two ways. */
  readonly repeatedEdges: { from: number; to: number; loop: Quantifier }[] = [];
  readonly lookarounds: Assertion[] = [];
  private edges = 0;
  private enclosing: readonly Quantifier[] = [];
  /** How often the piece being built repeats, through counted repetitions spelled out around it. */
  private repeats = 1;

  constructor(
    private readonly maxCharacter: Char,
    private readonly backward: boolean,
  ) {}

  alternatives(alternatives: readonly Concatenation[]): Fragment {
    let result: Fragment | undefined;
    for (const alternative of alternatives) {
      const f = this.concatenation(alternative);
      result = result === undefined ? f : { first: [...result.first, ...f.first], last: [...result.last, ...f.last], freeLast: [...result.freeLast, ...f.freeLast], nullable: result.nullable || f.nullable, freeNullable: result.freeNullable || f.freeNullable };
    }
    return result ?? { ...ASSERTION, nullable: false };
  }

  private concatenation({ elements }: Concatenation): Fragment {
    let result = EMPTY;
    const ordered = this.backward ? [...elements].reverse() : elements;
    for (const element of ordered) result = this.then(result, this.element(element));
    return result;
  }

  private then(a: Fragment, b: Fragment): Fragment {
    for (const p of a.last) for (const q of b.first) this.edge(p, q, undefined);
    return sequence(a, b);
  }

  private element(element: Element): Fragment {
    switch (element.type) {
      case 'CharacterClass':
        return this.position(element.characters);
      case 'Alternation':
        return this.alternatives(element.alternatives);
      case 'Quantifier':
        return this.repeat(element);
      case 'Assertion':
        this.lookarounds.push(element);
        return ASSERTION;
      case 'Unknown': {
        // An unresolved backreference can match any text.
        const any = this.position(CharSet.all(this.maxCharacter));
        this.loop(any);
        return optional(any);
      }
    }
  }

  private position(chars: CharSet): Fragment {
    const p = this.chars.length;
    if (p >= MAX_POSITIONS) throw new Unverifiable(`the pattern has more than ${String(MAX_POSITIONS)} character positions to compare`);
    this.chars.push(chars);
    this.follow.push(new Set());
    this.loops.push(this.enclosing);
    return { first: [p], last: [p], freeLast: [p], nullable: false, freeNullable: false };
  }

  /**
   * `x{m,n}` as the engine counts it: `m` copies, then `n - m` nested optional ones
   * (`x(x(x)?)?`: one path per count). Unbounded counts become a loop, and so do long ones,
   * also when spelled-out counts around them multiply (`(?:(?:a{1,2}){5}){5}` repeats 25 times).
   */
  private repeat(q: Quantifier): Fragment {
    const [only] = q.alternatives;
    const singleCharacter = q.alternatives.length === 1 && only?.elements.length === 1 && only.elements[0]?.type === 'CharacterClass';
    const isLoop = q.max > MAX_COPIES || (!singleCharacter && q.max * this.repeats > LOOP_REPEATS);
    const outer = { enclosing: this.enclosing, repeats: this.repeats };
    const body = () => this.alternatives(q.alternatives);
    const copies = Math.min(q.min, MAX_COPIES);
    this.repeats = isLoop ? 1 : outer.repeats * q.max;
    let result = EMPTY;
    for (let i = isLoop ? 1 : 0; i < copies; i++) result = this.then(result, body());
    if (isLoop) {
      this.enclosing = [...outer.enclosing, q];
      const looped = body();
      this.loop(looped, q);
      result = this.then(result, copies === 0 ? optional(looped) : looped);
    } else {
      const chain = (left: number): Fragment => (left === 0 ? EMPTY : optional(this.then(body(), chain(left - 1))));
      result = this.then(result, chain(q.max - q.min));
    }
    this.enclosing = outer.enclosing;
    this.repeats = outer.repeats;
    return result;
  }

  private loop(f: Fragment, q?: Quantifier): void {
    for (const p of f.last) for (const s of f.first) this.edge(p, s, q);
  }

  private edge(from: number, to: number, loop: Quantifier | undefined): void {
    const next = this.follow[from];
    // A position that reads no character is never reached.
    if (next === undefined || this.chars[to]?.isEmpty !== false) return;
    if (next.has(to)) {
      // Only a loop adds an edge twice (a sequence joins disjoint pieces).
      if (loop !== undefined) this.repeatedEdges.push({ from, to, loop });
      return;
    }
    if (++this.edges > MAX_EDGES) throw new Unverifiable(`the pattern has more than ${String(MAX_EDGES)} steps to compare`);
    next.add(to);
  }
}

/** Strongly connected components (iterative Tarjan) of the positions `keep` accepts. */
function components(automaton: PositionAutomaton, keep: (p: number) => boolean): Int32Array {
  const n = automaton.chars.length;
  const component = new Int32Array(n).fill(-1);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1 || !keep(root)) continue;
    const work: { p: number; next: Iterator<number> }[] = [];
    const open = (p: number) => {
      index[p] = low[p] = counter++;
      stack.push(p);
      onStack[p] = 1;
      work.push({ p, next: (automaton.follow[p] ?? new Set<number>()).values() });
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (top === undefined) break;
      const step = top.next.next();
      if (!step.done) {
        const q = step.value;
        if (!keep(q)) continue;
        if (index[q] === -1) open(q);
        else if (onStack[q] === 1) low[top.p] = Math.min(low[top.p] ?? 0, index[q] ?? 0);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent.p] = Math.min(low[parent.p] ?? 0, low[top.p] ?? 0);
      if (low[top.p] === index[top.p]) {
        let q: number | undefined;
        do {
          q = stack.pop();
          if (q === undefined) break;
          onStack[q] = 0;
          component[q] = count;
        } while (q !== top.p);
        count++;
      }
    }
  }
  return component;
}

/** The innermost loop around every one of `positions`. */
function innermostLoop(automaton: PositionAutomaton, positions: readonly number[]): Quantifier | undefined {
  let common: readonly Quantifier[] | undefined;
  for (const p of positions) {
    const loops = automaton.loops[p] ?? [];
    if (common === undefined) common = loops;
    else {
      let k = 0;
      while (k < common.length && k < loops.length && common[k] === loops[k]) k++;
      common = common.slice(0, k);
    }
  }
  return common?.[common.length - 1];
}

/**
 * A loop reading the same text in two ways, which repeated n times gives 2ⁿ ways: two
 * different cycles through one position with the same text (exponential degree of ambiguity).
 * Found on pairs of positions: starting from equal pairs, stepping both on a common
 * character, an unequal pair that steps back to an equal one closes two such cycles.
 * Positions after which the match can end at once are left out: the engine succeeds there
 * instead of backtracking.
 */
function exponentialLoop(automaton: PositionAutomaton, end: Fragment): { loop: Quantifier | undefined } | undefined {
  const n = automaton.chars.length;
  const free = new Uint8Array(n);
  for (const p of end.freeLast) free[p] = 1;
  const component = components(automaton, (p) => free[p] === 0);
  for (const { from, to, loop } of automaton.repeatedEdges) {
    if (free[from] === 0 && component[from] !== -1 && component[from] === component[to]) return { loop };
  }
  const members = new Map<number, number[]>();
  for (let p = 0; p < n; p++) {
    const c = component[p] ?? -1;
    if (c === -1) continue;
    const list = members.get(c) ?? [];
    list.push(p);
    members.set(c, list);
  }
  let budget = MAX_PAIRS;
  const readAlike = (x: number, y: number) => {
    const [cx, cy] = [automaton.chars[x], automaton.chars[y]];
    return cx !== undefined && cy !== undefined && !cx.isDisjointWith(cy);
  };
  for (const [c, positions] of members) {
    const inside = (p: number) => component[p] === c;
    // Pairs are unordered (p ≤ q): swapping both paths is a symmetry of the search.
    const seen = new Set<number>();
    const queue: number[] = [];
    for (const p of positions) {
      seen.add(p * n + p);
      queue.push(p * n + p);
    }
    // (An array's iterator also visits what is pushed while it runs: a breadth-first queue.)
    for (const pair of queue) {
      const a = Math.floor(pair / n);
      const b = pair % n;
      for (const x of automaton.follow[a] ?? []) {
        if (!inside(x)) continue;
        for (const y of automaton.follow[b] ?? []) {
          if (!inside(y)) continue;
          if (x === y) {
            if (a !== b) return { loop: innermostLoop(automaton, positions) };
            continue;
          }
          const next = x < y ? x * n + y : y * n + x;
          if (seen.has(next) || !readAlike(x, y)) continue;
          if (--budget < 0) throw new Unverifiable(`the loops of the pattern have more than ${String(MAX_PAIRS)} pairs of positions to compare`);
          seen.add(next);
          queue.push(next);
        }
      }
    }
  }
  return undefined;
}

/**
 * Finds a loop whose body can read the same text in more than one way when repeated
 * (`(?:\d{1,3})+`, `(?:aa?)+`, `(?:(?:ab)*a?)*`), in the pattern and in every lookaround
 * body (which backtracks in full while it is tried). `expression` is refa's literal parse
 * (no simplification, assertions parsed); `source` the pattern it came from.
 */
export function ambiguousLoopHazard(expression: Expression, maxCharacter: Char, source: string): RegexHazard | undefined {
  const pending: { alternatives: readonly Concatenation[]; backward: boolean }[] = [{ alternatives: expression.alternatives, backward: false }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const automaton = new PositionAutomaton(maxCharacter, item.backward);
    const whole = automaton.alternatives(item.alternatives);
    const found = exponentialLoop(automaton, whole);
    if (found !== undefined) {
      const at = found.loop?.source;
      const raw = at === undefined ? source : source.slice(at.start, at.end);
      const json = JSON.stringify(raw);
      return { kind: 'exponential', part: raw, message: `${json} can read the same text in more than one way on each repetition (its body can be split differently between repetitions or matched in two ways): a failing match tries exponentially many combinations` };
    }
    for (const lookaround of automaton.lookarounds) pending.push({ alternatives: lookaround.alternatives, backward: lookaround.kind === 'behind' });
  }
  return undefined;
}
