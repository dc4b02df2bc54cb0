import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { CharSet, JS, NFA, isDisjointWith, visitAst } from 'refa';
import { analyse, type Report } from 'scslre';
import { memoize } from '../memoize.js';
import { LOOP_REPEATS, Unverifiable, ambiguousLoopHazard } from './regex-ambiguity.js';
import { MAX_REGEX_INPUT } from './regex-limits.js';

export { MAX_REGEX_INPUT };

/** Patterns with more quantifiers are not analysed (analysis time grows with them). */
const MAX_QUANTIFIERS = 64;
/** Ambiguous alternations in sequence multiply the ways to match: at most this many ways. */
const MAX_SEQUENTIAL_WAYS = 1024;
/** Pairs of alternatives compared per pattern, and automaton states per comparison. */
const MAX_PAIRS = 4000;
const MAX_NODES = 2000;
/** Nodes of the literal parse the loop check reads. */
const MAX_PARSE_NODES = 20_000;

/** Why a pattern may take super-linear time: `part` is the offending piece of the source. */
export interface RegexHazard {
  readonly kind: 'exponential' | 'polynomial' | 'unverifiable';
  readonly part: string;
  readonly message: string;
}

const parser = new RegExpParser({ ecmaVersion: 2025 });

const show = (raw: string) => JSON.stringify(raw);

function fromReport(report: Report): RegexHazard {
  const kind = report.exponential ? 'exponential' : 'polynomial';
  const run = `a run of ${show(report.character.pick)}`;
  if (report.type === 'Self') {
    return {
      kind,
      part: report.parentQuant.raw,
      message: `${show(report.quant.raw)} is repeated by ${show(report.parentQuant.raw)}: ${run} can be split between the repetitions in ${kind}ly many ways`,
    };
  }
  if (report.type === 'Trade') {
    return {
      kind,
      part: `${report.startQuant.raw} … ${report.endQuant.raw}`,
      message: `${show(report.startQuant.raw)} and ${show(report.endQuant.raw)} can both match ${run}, which they can share in ${kind}ly many ways`,
    };
  }
  // `analyse` is asked for Self and Trade reports only; a Move report is bounded by MAX_REGEX_INPUT.
  return { kind, part: report.quant.raw, message: `${show(report.quant.raw)} is retried at every position of ${run}` };
}

/** The nodes inside a node, lookaround bodies included. */
function children(node: AST.Node): readonly AST.Node[] {
  if (node.type === 'Pattern' || node.type === 'Group' || node.type === 'CapturingGroup') return node.alternatives;
  if (node.type === 'Assertion' && (node.kind === 'lookahead' || node.kind === 'lookbehind')) return node.alternatives;
  if (node.type === 'Alternative') return node.elements;
  if (node.type === 'Quantifier') return [node.element];
  return [];
}

/** The characters the group each backreference refers to can read, by the backreference's offset. */
function backreferenceAlphabets(pattern: AST.Pattern, refa: JS.Parser): Map<number, CharSet> {
  const alphabets = new Map<number, CharSet>();
  const visit = (node: AST.Node): void => {
    if (node.type === 'Backreference') {
      let chars = CharSet.empty(refa.maxCharacter);
      for (const group of Array.isArray(node.resolved) ? node.resolved : [node.resolved]) {
        const { expression } = refa.parseElement(group, {
          backreferences: 'unknown',
          assertions: 'ignore',
          maxNodes: MAX_PARSE_NODES,
        });
        // A backreference inside the group could be anything.
        visitAst(expression, {
          onCharacterClassEnter: (c) => (chars = chars.union(c.characters)),
          onUnknownEnter: () => (chars = CharSet.all(refa.maxCharacter)),
        });
      }
      alphabets.set(node.start, chars);
    }
    for (const child of children(node)) visit(child);
  };
  visit(pattern);
  return alphabets;
}

function countQuantifiers(node: AST.Node): number {
  return children(node).reduce((n, child) => n + countQuantifiers(child), node.type === 'Quantifier' ? 1 : 0);
}

/**
 * Every group (capturing or not) with two or more alternatives, with how often it repeats. A
 * lookaround is atomic once it has matched, but while it is tried its body backtracks in full:
 * its groups count, repeated as often as within one try.
 */
function* alternations(
  node: AST.Node,
  repeats: number,
): Generator<{ group: AST.Group | AST.CapturingGroup; repeats: number }> {
  if ((node.type === 'Group' || node.type === 'CapturingGroup') && node.alternatives.length > 1)
    yield { group: node, repeats };
  const inner = node.type === 'Quantifier' ? repeats * node.max : node.type === 'Assertion' ? 1 : repeats;
  for (const child of children(node)) yield* alternations(child, inner);
}

/**
 * Whether a word of one branch is a prefix of a word of another (or the same word): then the
 * engine can take either branch at the same place and retry the other when the rest fails.
 * If no word of any branch is a prefix of another branch's word, a wrong branch fails at once.
 * Only branches that can start with the same character (or match nothing) are compared.
 */
function ambiguousBranches(
  group: AST.Group | AST.CapturingGroup,
  refa: JS.Parser,
  budget: { pairs: number },
): [string, string] | undefined {
  const branches = group.alternatives.map((alternative) => {
    try {
      const { expression, maxCharacter } = refa.parseElement(alternative, {
        backreferences: 'throw',
        assertions: 'ignore',
        maxNodes: MAX_NODES,
      });
      const words = NFA.fromRegex(expression, { maxCharacter }, {}, new NFA.LimitedNodeFactory(MAX_NODES));
      const prefixes = words.copy();
      prefixes.prefixes();
      const first = CharSet.empty(maxCharacter).union(...words.initial.out.values());
      return { raw: alternative.raw, words, prefixes, first, empty: words.finals.has(words.initial) };
    } catch {
      throw new Unverifiable(
        `the branches of ${show(group.raw)} (with a backreference, or too large) cannot be compared`,
      );
    }
  });
  for (const a of branches) {
    for (const b of branches) {
      if (a === b || !(a.empty || b.empty || !a.first.isDisjointWith(b.first))) continue;
      if (--budget.pairs < 0) throw new Unverifiable(`${show(group.raw)} has too many similar branches to compare`);
      if (!isDisjointWith(a.words, b.prefixes, MAX_NODES)) return [a.raw, b.raw];
    }
  }
  return undefined;
}

function overlap([a, b]: [string, string]): string {
  return a === b
    ? `two branches ${show(a)} match the same text`
    : `${show(a)} can match what ${show(b)} matches, or the start of it`;
}

function alternationHazard(pattern: AST.Pattern, refa: JS.Parser): RegexHazard | undefined {
  const budget = { pairs: MAX_PAIRS };
  const groups = [...alternations(pattern, 1)];
  for (const { group, repeats } of groups) {
    if (repeats <= LOOP_REPEATS) continue;
    const pair = ambiguousBranches(group, refa, budget);
    if (pair !== undefined) {
      return {
        kind: 'exponential',
        part: group.raw,
        message: `in ${show(group.raw)}, repeated ${repeats === Infinity ? 'without limit' : `up to ${repeats} times`}, ${overlap(pair)}: the engine can try exponentially many combinations of branches`,
      };
    }
  }
  // Alternations outside loops multiply the ways to match only if ambiguous, and only matter
  // when there could be many ways at all (so a single long word list is not compared).
  const sequential = groups.filter((g) => g.repeats <= LOOP_REPEATS);
  if (sequential.reduce((ways, g) => ways * g.group.alternatives.length ** g.repeats, 1) <= MAX_SEQUENTIAL_WAYS)
    return undefined;
  let ways = 1;
  for (const { group, repeats } of sequential) {
    const pair = ambiguousBranches(group, refa, budget);
    if (pair === undefined) continue;
    ways *= group.alternatives.length ** repeats;
    if (ways > MAX_SEQUENTIAL_WAYS) {
      return {
        kind: 'exponential',
        part: group.raw,
        message: `ambiguous alternations in sequence (up to ${show(group.raw)}, where ${overlap(pair)}) can be combined in more than ${MAX_SEQUENTIAL_WAYS} ways`,
      };
    }
  }
  return undefined;
}

function analysePattern(key: string): RegexHazard | undefined {
  const split = key.indexOf('/');
  const flags = key.slice(0, split);
  const source = key.slice(split + 1);
  try {
    const pattern = parser.parsePattern(source, 0, source.length, {
      unicode: flags.includes('u'),
      unicodeSets: flags.includes('v'),
    });
    const parsedFlags = parser.parseFlags(flags);
    if (countQuantifiers(pattern) > MAX_QUANTIFIERS) {
      return {
        kind: 'unverifiable',
        part: source.slice(0, 60),
        message: `more than ${MAX_QUANTIFIERS} quantifiers are too many to check`,
      };
    }
    const [report] = analyse({ pattern, flags: parsedFlags }, { maxReports: 1, reportTypes: { Move: false } }).reports;
    if (report !== undefined) return fromReport(report);
    const refa = JS.Parser.fromAst({ pattern, flags: parsedFlags });
    const alternation = alternationHazard(pattern, refa);
    if (alternation !== undefined) return alternation;
    const { expression, maxCharacter } = refa.parse({
      simplify: false,
      assertions: 'parse',
      backreferences: 'unknown',
      maxNodes: MAX_PARSE_NODES,
    });
    const alphabets = backreferenceAlphabets(pattern, refa);
    return ambiguousLoopHazard(expression, maxCharacter, source, (at) => alphabets.get(at));
  } catch (error) {
    // The analysers are third-party code: whatever they fail on, the pattern is not vouched for.
    const reason =
      error instanceof Unverifiable
        ? error.message
        : `the analysis failed (${error instanceof Error ? error.message : String(error)})`;
    return { kind: 'unverifiable', part: source.slice(0, 60), message: reason };
  }
}

const analysed = memoize(analysePattern, 500);

/**
 * Finds what can make a regular expression take super-linear time on some text (ReDoS), as run
 * with `flags`: nested or adjacent quantifiers that can share characters (exponential or
 * polynomial backtracking, found by scslre, backreferences included), repeated
 * alternations whose branches can match the same text, and loops whose body can be read in
 * more than one way when repeated (`(?:\d{1,3})+`), lookaround bodies included. Returns
 * `undefined` for a safe pattern.
 * Never throws: a pattern it cannot parse or analyse comes back `unverifiable`.
 */
export function findRegexHazard(source: string, flags: string): RegexHazard | undefined {
  return analysed(`${flags}/${source}`);
}
