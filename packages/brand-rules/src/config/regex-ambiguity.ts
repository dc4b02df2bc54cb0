import {
  CharSet,
  type Assertion,
  type Char,
  type Concatenation,
  type Element,
  type Expression,
  type Quantifier,
} from 'refa';
import type { RegexHazard } from './regex-guard.js';

/** A counted repetition of more than this many (of a longer body) is analysed as a loop. */
export const LOOP_REPEATS = 10;
/** Copies of a counted body the automaton spells out; more are analysed as a loop. */
const MAX_COPIES = 32;
/** Size limits of the automaton and of the pairs of its states compared. */
const MAX_POSITIONS = 4000;
const MAX_EDGES = 200_000;
const MAX_PAIRS = 100_000;
/**
 * Two-way choices one text may meet in sequence (at least 2³ = 8 ways to match it): common
 * patterns meet at most one; the ways multiply with every loop and start position around them.
 */
const MAX_CHOICES = 3;

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
  /** Edges only a long counted repetition analysed as a loop added (not a real cycle). */
  readonly counted: Set<number>[] = [];
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
    private readonly backreferenceChars: (at: number) => CharSet | undefined,
  ) {}

  alternatives(alternatives: readonly Concatenation[]): Fragment {
    let result: Fragment | undefined;
    for (const alternative of alternatives) {
      const f = this.concatenation(alternative);
      result =
        result === undefined
          ? f
          : {
              first: [...result.first, ...f.first],
              last: [...result.last, ...f.last],
              freeLast: [...result.freeLast, ...f.freeLast],
              nullable: result.nullable || f.nullable,
              freeNullable: result.freeNullable || f.freeNullable,
            };
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
        // A backreference matches one text, in one way: any text of its group's characters.
        const chars =
          (element.source && this.backreferenceChars(element.source.start)) ?? CharSet.all(this.maxCharacter);
        const text = this.position(chars);
        this.loop(text);
        return optional(text);
      }
    }
  }

  private position(chars: CharSet): Fragment {
    const p = this.chars.length;
    if (p >= MAX_POSITIONS)
      throw new Unverifiable(`the pattern has more than ${String(MAX_POSITIONS)} character positions to compare`);
    this.chars.push(chars);
    this.follow.push(new Set());
    this.counted.push(new Set());
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
    const singleCharacter =
      q.alternatives.length === 1 && only?.elements.length === 1 && only.elements[0]?.type === 'CharacterClass';
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
    if (++this.edges > MAX_EDGES)
      throw new Unverifiable(`the pattern has more than ${String(MAX_EDGES)} steps to compare`);
    next.add(to);
    if (loop !== undefined && loop.max !== Infinity) this.counted[from]?.add(to);
  }
}

/** Strongly connected components (iterative Tarjan) of the positions `keep` accepts, over `follow`. */
function components(follow: readonly ReadonlySet<number>[], keep: (p: number) => boolean): Int32Array {
  const n = follow.length;
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
      work.push({ p, next: (follow[p] ?? new Set<number>()).values() });
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

/** The positions after which the match cannot end at once, grouped into strongly connected components. */
interface Restricted {
  readonly follow: readonly ReadonlySet<number>[];
  /** Component of each position; -1 for a position after which the match can end at once. */
  readonly component: Int32Array;
  /** Whether a component holds a cycle. */
  readonly cyclic: Uint8Array;
  readonly budget: { left: number };
}

/**
 * Leaves out the positions after which the match can end at once (nothing but optional parts
 * without assertions follow): there the engine succeeds instead of backtracking.
 */
function restrict(
  automaton: PositionAutomaton,
  end: Fragment,
  follow: readonly ReadonlySet<number>[],
  budget: { left: number },
): Restricted {
  const n = automaton.chars.length;
  const free = new Uint8Array(n);
  for (const p of end.freeLast) free[p] = 1;
  const component = components(follow, (p) => free[p] === 0);
  const cyclic = new Uint8Array(n);
  follow.forEach((next, p) => {
    const c = component[p] ?? -1;
    if (c !== -1) for (const q of next) if (component[q] === c) cyclic[c] = 1;
  });
  return { follow, component, cyclic, budget };
}

function spend(budget: { left: number }): void {
  if (--budget.left < 0)
    throw new Unverifiable(
      `the loops of the pattern have more than ${String(MAX_PAIRS)} combinations of positions to compare`,
    );
}

/** Whether some character can be read at all of `positions`. */
function readAlike(automaton: PositionAutomaton, ...positions: number[]): boolean {
  let common: CharSet | undefined;
  for (const p of positions) {
    const chars = automaton.chars[p];
    if (chars === undefined) return false;
    common = common === undefined ? chars : common.intersect(chars);
    if (common.isEmpty) return false;
  }
  return true;
}

/**
 * A loop reading the same text in two ways, which repeated n times gives 2ⁿ ways: two
 * different cycles through one position with the same text (exponential degree of ambiguity).
 * Found on pairs of positions: starting from equal pairs, stepping both on a common
 * character, an unequal pair that steps back to an equal one closes two such cycles.
 */
function exponentialLoop(
  automaton: PositionAutomaton,
  { follow, component, cyclic, budget }: Restricted,
): { loop: Quantifier | undefined } | undefined {
  for (const { from, to, loop } of automaton.repeatedEdges) {
    if (component[from] !== -1 && component[from] === component[to]) return { loop };
  }
  const n = automaton.chars.length;
  const members = new Map<number, number[]>();
  for (let p = 0; p < n; p++) {
    const c = component[p] ?? -1;
    if (c === -1 || cyclic[c] !== 1) continue;
    const list = members.get(c) ?? [];
    list.push(p);
    members.set(c, list);
  }
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
      for (const x of follow[a] ?? []) {
        if (!inside(x)) continue;
        for (const y of follow[b] ?? []) {
          if (!inside(y)) continue;
          if (x === y) {
            if (a !== b) return { loop: innermostLoop(automaton, positions) };
            continue;
          }
          const next = x < y ? x * n + y : y * n + x;
          if (seen.has(next) || !readAlike(automaton, x, y)) continue;
          spend(budget);
          seen.add(next);
          queue.push(next);
        }
      }
    }
  }
  return undefined;
}

/**
 * Two loops, one after the other, that can read the same repeated text (`[ab]+ab[ab]+ab$` on
 * "abab…"): the text can be shared between them in polynomially many ways (infinite degree of
 * ambiguity). Found as a position p of the first loop, q of the second and a text w with
 * p →w p, p →w q and q →w q: a breadth-first search over pairs from (p, p) finds candidates
 * (p, q), one over triples from (p, p, q) confirms (p, q, q).
 */
function polynomialLoops(
  automaton: PositionAutomaton,
  { follow, component, cyclic, budget }: Restricted,
): [number, number] | undefined {
  const n = automaton.chars.length;
  const onCycle = (p: number) => (component[p] ?? -1) !== -1 && cyclic[component[p] ?? 0] === 1;
  for (let p = 0; p < n; p++) {
    if (!onCycle(p)) continue;
    const home = component[p];
    const seen = new Set<number>([p * n + p]);
    const queue = [p * n + p];
    for (const pair of queue) {
      const x = Math.floor(pair / n);
      const y = pair % n;
      for (const x2 of follow[x] ?? []) {
        if (component[x2] !== home) continue;
        for (const y2 of follow[y] ?? []) {
          const next = x2 * n + y2;
          if (component[y2] === -1 || seen.has(next) || !readAlike(automaton, x2, y2)) continue;
          spend(budget);
          seen.add(next);
          queue.push(next);
          if (
            x2 === p &&
            component[y2] !== home &&
            onCycle(y2) &&
            sameTextCycles(automaton, follow, component, budget, p, y2)
          )
            return [p, y2];
        }
      }
    }
  }
  return undefined;
}

/** Whether one text w leads p → p, p → q and q → q. */
function sameTextCycles(
  automaton: PositionAutomaton,
  follow: readonly ReadonlySet<number>[],
  component: Int32Array,
  budget: { left: number },
  p: number,
  q: number,
): boolean {
  const n = automaton.chars.length;
  const key = (x: number, y: number, z: number) => (x * n + y) * n + z;
  const seen = new Set<number>([key(p, p, q)]);
  const queue: [number, number, number][] = [[p, p, q]];
  for (const [x, y, z] of queue) {
    for (const x2 of follow[x] ?? []) {
      if (component[x2] !== component[p]) continue;
      for (const y2 of follow[y] ?? []) {
        if (component[y2] === -1 || !readAlike(automaton, x2, y2)) continue;
        for (const z2 of follow[z] ?? []) {
          if (component[z2] !== component[q]) continue;
          if (x2 === p && y2 === q && z2 === q && readAlike(automaton, x2, y2, z2)) return true;
          const next = key(x2, y2, z2);
          if (seen.has(next) || !readAlike(automaton, x2, y2, z2)) continue;
          spend(budget);
          seen.add(next);
          queue.push([x2, y2, z2]);
        }
      }
    }
  }
  return false;
}

/**
 * The most two-way choices one text can meet in sequence, without loops: counted repetitions
 * and optional parts that overlap (`(?:\d?\w{1,2}a{1,3}){6}`) multiply the ways to match
 * even when nothing repeats without limit. Counted on pairs of positions, as the steps from
 * an unequal pair back to an equal one along one path (none lies on a cycle once
 * `exponentialLoop` found nothing).
 */
function choicesInSequence(automaton: PositionAutomaton, { follow, component, budget }: Restricted): number {
  const n = automaton.chars.length;
  const ids = new Map<number, number>();
  const pairs: [number, number][] = [];
  const next: Set<number>[] = [];
  const merges: Set<number>[] = [];
  const node = (a: number, b: number): number => {
    const key = a < b ? a * n + b : b * n + a;
    let id = ids.get(key);
    if (id === undefined) {
      spend(budget);
      id = pairs.length;
      ids.set(key, id);
      pairs.push(a < b ? [a, b] : [b, a]);
      next.push(new Set());
      merges.push(new Set());
    }
    return id;
  };
  for (let p = 0; p < n; p++) if (component[p] !== -1) node(p, p);
  for (const [id, [a, b]] of pairs.entries()) {
    for (const x of follow[a] ?? []) {
      if (component[x] === -1) continue;
      for (const y of follow[b] ?? []) {
        if (component[y] === -1 || !readAlike(automaton, x, y)) continue;
        const to = node(x, y);
        next[id]?.add(to);
        if (a !== b && x === y) merges[id]?.add(to);
      }
    }
  }
  // Tarjan numbers components so that edges lead to lower numbers: longest path by increasing number.
  const order = components(next, () => true);
  const best = new Map<number, number>();
  const byComponent = [...order.keys()].sort((u, v) => (order[u] ?? 0) - (order[v] ?? 0));
  let most = 0;
  for (const u of byComponent) {
    const c = order[u] ?? 0;
    let value = best.get(c) ?? 0;
    for (const v of next[u] ?? []) {
      if (order[v] === c) continue;
      value = Math.max(value, (best.get(order[v] ?? 0) ?? 0) + (merges[u]?.has(v) === true ? 1 : 0));
    }
    best.set(c, value);
    most = Math.max(most, value);
  }
  return most;
}

/**
 * Finds a loop whose body can read the same text in more than one way when repeated
 * (`(?:\d{1,3})+`, `(?:aa?)+`, `(?:(?:ab)*a?)*`), or two loops in sequence that can share a
 * repeated text (`[ab]+ab[ab]+ab$`), in the pattern and in every lookaround body (which
 * backtracks in full while it is tried). `expression` is refa's literal parse (no
 * simplification, assertions parsed, unresolved backreferences as unknowns); `source` the
 * pattern it came from; `backreferenceChars` the characters of the group a backreference at
 * an offset refers to.
 */
export function ambiguousLoopHazard(
  expression: Expression,
  maxCharacter: Char,
  source: string,
  backreferenceChars: (at: number) => CharSet | undefined,
): RegexHazard | undefined {
  const pending: { alternatives: readonly Concatenation[]; backward: boolean; raw: string }[] = [
    { alternatives: expression.alternatives, backward: false, raw: source },
  ];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const automaton = new PositionAutomaton(maxCharacter, item.backward, backreferenceChars);
    const whole = automaton.alternatives(item.alternatives);
    const budget = { left: MAX_PAIRS };
    const raw = (loop: Quantifier | undefined) =>
      loop?.source === undefined ? source : source.slice(loop.source.start, loop.source.end);
    const found = exponentialLoop(automaton, restrict(automaton, whole, automaton.follow, budget));
    if (found !== undefined) {
      const part = raw(found.loop);
      return {
        kind: 'exponential',
        part,
        message: `${JSON.stringify(part)} can read the same text in more than one way on each repetition (its body can be split differently between repetitions or matched in two ways): a failing match tries exponentially many combinations`,
      };
    }
    // Long counted repetitions are loops only for the exponential check: spelled out, their
    // copies in sequence would look like loops in sequence.
    const uncounted = automaton.follow.map((next, p) =>
      automaton.counted[p]?.size === 0 ? next : new Set([...next].filter((q) => automaton.counted[p]?.has(q) !== true)),
    );
    const shared = polynomialLoops(automaton, restrict(automaton, whole, uncounted, budget));
    if (shared !== undefined) {
      const [first, second] = shared.map((p) => raw(automaton.loops[p]?.at(-1)));
      return {
        kind: 'polynomial',
        part: `${first ?? ''} … ${second ?? ''}`,
        message: `${JSON.stringify(first)} and a later ${JSON.stringify(second)} can both read the same repeated text, which they can share in polynomially many ways`,
      };
    }
    const choices = choicesInSequence(automaton, restrict(automaton, whole, automaton.follow, { left: MAX_PAIRS }));
    if (choices > MAX_CHOICES) {
      return {
        kind: 'exponential',
        part: item.raw,
        message: `one text can meet ${String(choices)} ambiguous choices in sequence (counted repetitions or optional parts that overlap), at least ${String(2 ** choices)} ways to match it: a failing match tries them all, at every start`,
      };
    }
    for (const lookaround of automaton.lookarounds) {
      const raw =
        lookaround.source === undefined ? source : source.slice(lookaround.source.start, lookaround.source.end);
      pending.push({ alternatives: lookaround.alternatives, backward: lookaround.kind === 'behind', raw });
    }
  }
  return undefined;
}
