import { HubspokeError, type Dialect } from '@hubspoke/core';

/**
 * What each platform interprets as code in an email it sends, read from the platforms' documented
 * syntax (see the reference table in the README). The lexer is deliberately wider than any one
 * engine: an opener that its engine would reject as a syntax error still counts as live, because
 * a refused send is as much a spoke's doing as an executed one.
 *
 * | dialect | construct classes |
 * | --- | --- |
 * | marketo | `marketo-token` `{{…}}`, `marketo-variable` `${…}`, `velocity-reference` `$x` `$!x` `${x}` `$!{x}`, `velocity-directive` `#name(` `#{name}(` `#else` `#end` `#stop` `#break`, `velocity-comment` `##…` `#*…*#`, `velocity-unparsed` `#[[…]]#` |
 * | eloqua | `eloqua-merge` `<span … eloquaemail …>`, `eloqua-marker` `~~…~~`, `eloqua-attribute` `elq…=` in a tag |
 * | sfmc | `ampscript-inline` `%%=…=%%`, `ampscript-block` `%%[…]%%`, `ampscript-attribute` `%%…%%`, `server-script` `<script …>…</script>` (any script element: `runat=server` makes it SSJS or AMPscript, and nothing else belongs in an email), `gtl` `{{…}}` `{{{…}}}` |
 * | hubspot | `hubl-expression` `{{…}}`, `hubl-statement` `{%…%}` (a `{% raw %}…{% endraw %}` block is one), `hubl-comment` `{#…#}` |
 * | braze | `liquid-output` `{{…}}`, `liquid-tag` `{%…%}` (a `{% raw %}…{% endraw %}` block is one) |
 * | preview | none (the preview is read by a browser only; HTML is sanitized separately) |
 *
 * An unclosed construct runs to the end of the text.
 */
export type ConstructClass =
  | 'marketo-token'
  | 'marketo-variable'
  | 'velocity-reference'
  | 'velocity-directive'
  | 'velocity-comment'
  | 'velocity-unparsed'
  | 'eloqua-merge'
  | 'eloqua-marker'
  | 'eloqua-attribute'
  | 'ampscript-inline'
  | 'ampscript-block'
  | 'ampscript-attribute'
  | 'server-script'
  | 'gtl'
  | 'hubl-expression'
  | 'hubl-statement'
  | 'hubl-comment'
  | 'liquid-output'
  | 'liquid-tag';

/** Every class each dialect's lexer recognises (for documentation and tests). */
export const CONSTRUCT_CLASSES: Readonly<Record<Dialect, readonly ConstructClass[]>> = {
  marketo: [
    'marketo-token',
    'marketo-variable',
    'velocity-reference',
    'velocity-directive',
    'velocity-comment',
    'velocity-unparsed',
  ],
  eloqua: ['eloqua-merge', 'eloqua-marker', 'eloqua-attribute'],
  sfmc: ['ampscript-inline', 'ampscript-block', 'ampscript-attribute', 'server-script', 'gtl'],
  hubspot: ['hubl-expression', 'hubl-statement', 'hubl-comment'],
  braze: ['liquid-output', 'liquid-tag'],
  preview: [],
};

/** One live construct: its class and offsets in the lexed text. */
export interface LiveConstruct {
  kind: ConstructClass;
  start: number;
  end: number;
}

/** Openers per dialect; the lexer looks at each match and decides the class and the end. */
const OPENERS: Readonly<Record<Exclude<Dialect, 'preview'>, RegExp>> = {
  marketo: /\{\{|\$!?\{|\$!?[A-Za-z]|#\{?[A-Za-z][\w-]*\}?\s*\(|#\{?(?:else|end|stop|break)(?![\w-])\}?|##|#\*|#\[\[/g,
  eloqua: /<span\b|~~|\belq[\w-]*\s*=/gi,
  sfmc: /%%|\{\{|<script\b/gi,
  hubspot: /\{[{%#]/g,
  braze: /\{[{%]/g,
};

function closeAt(text: string, closer: string, from: number): number {
  const at = text.indexOf(closer, from);
  return at === -1 ? text.length : at + closer.length;
}

/**
 * Set while an attempt read back to the start of the lexed string and found nothing there to
 * decide by (an `elq…=` with no `<` or `>` before it): when the string is only a window of the
 * text, the window cannot decide. Reset by `relexWindow`; lexing is synchronous.
 */
const windowRead = { blind: false };

/** Whether an attempt since the last reset read back blind (a call, so a reset before it narrows nothing). */
function wasBlind(): boolean {
  return windowRead.blind;
}

/**
 * A construct from `start` to `end`. A module-level function, not a closure made per construct:
 * run from source (tsx, vitest), each closure is also named with `Object.defineProperty`, which
 * cost more than the rest of lexing a construct.
 */
function made(start: number, kind: ConstructClass, end: number): LiveConstruct {
  return { kind, start, end };
}

/** Where a `{% … %}` tag ends; a `{% raw %}` tag runs to the end of its `{% endraw %}`. */
function liquidTagEnd(text: string, start: number): number {
  const end = closeAt(text, '%}', start + 2);
  if (/^\{%-?\s*raw\s*-?%\}$/.test(text.slice(start, end))) {
    const close = /\{%-?\s*endraw\s*-?%\}/g;
    close.lastIndex = end;
    const m = close.exec(text);
    return m ? m.index + m[0].length : text.length;
  }
  return end;
}

function velocityReferenceEnd(text: string, start: number, opener: string): number {
  if (opener.endsWith('{')) return closeAt(text, '}', start + opener.length);
  const m = /[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*/y;
  m.lastIndex = start + opener.length - 1;
  return m.exec(text) ? m.lastIndex : start + opener.length;
}

function construct(
  dialect: Exclude<Dialect, 'preview'>,
  text: string,
  start: number,
  opener: string,
): LiveConstruct | undefined {
  switch (dialect) {
    case 'marketo':
      if (opener === '{{') return made(start, 'marketo-token', closeAt(text, '}}', start + 2));
      if (opener === '${') return made(start, 'marketo-variable', closeAt(text, '}', start + 2));
      if (opener.startsWith('$')) return made(start, 'velocity-reference', velocityReferenceEnd(text, start, opener));
      if (opener === '##') {
        const nl = text.indexOf('\n', start);
        return made(start, 'velocity-comment', nl === -1 ? text.length : nl);
      }
      if (opener === '#*') return made(start, 'velocity-comment', closeAt(text, '*#', start + 2));
      if (opener === '#[[') return made(start, 'velocity-unparsed', closeAt(text, ']]#', start + 3));
      return made(start, 'velocity-directive', start + opener.length);
    case 'eloqua': {
      if (opener === '~~') return made(start, 'eloqua-marker', closeAt(text, '~~', start + 2));
      if (opener.startsWith('<')) {
        const end = closeAt(text, '>', start);
        return /eloquaemail/i.test(text.slice(start, end)) ? made(start, 'eloqua-merge', end) : undefined;
      }
      // An `elq…=` attribute: inside a tag, that is after a `<letter` with no `>` since.
      const open = text.lastIndexOf('<', start);
      const close = text.lastIndexOf('>', start);
      // In a window of the text (see `relexWindow`), neither bracket before it: the text before the window decides.
      if (open === -1 && close === -1) windowRead.blind = true;
      const inTag = open !== -1 && close < open && /[A-Za-z]/.test(text[open + 1] ?? '');
      return inTag && /\s/.test(text[start - 1] ?? '')
        ? made(start, 'eloqua-attribute', start + opener.length)
        : undefined;
    }
    case 'sfmc': {
      if (opener === '{{')
        return made(start, 'gtl', closeAt(text, text.startsWith('{{{', start) ? '}}}' : '}}', start + 2));
      if (opener.startsWith('<')) {
        const close = text.slice(start).search(/<\/script\s*>/i);
        return made(start, 'server-script', close === -1 ? text.length : closeAt(text, '>', start + close));
      }
      const next = text[start + 2];
      if (next === '=') return made(start, 'ampscript-inline', closeAt(text, '=%%', start + 3));
      if (next === '[') return made(start, 'ampscript-block', closeAt(text, ']%%', start + 3));
      return made(start, 'ampscript-attribute', closeAt(text, '%%', start + 2));
    }
    case 'hubspot':
      if (opener === '{{') return made(start, 'hubl-expression', closeAt(text, '}}', start + 2));
      if (opener === '{#') return made(start, 'hubl-comment', closeAt(text, '#}', start + 2));
      return made(start, 'hubl-statement', liquidTagEnd(text, start));
    case 'braze':
      if (opener === '{{') return made(start, 'liquid-output', closeAt(text, '}}', start + 2));
      return made(start, 'liquid-tag', liquidTagEnd(text, start));
  }
}

/** Openers as sticky patterns, tried only where one of the dialect's first characters stands. */
const STICKY = Object.fromEntries(
  Object.entries(OPENERS).map(([d, re]) => [d, new RegExp(re.source, `${re.flags.replace('g', '')}y`)]),
) as Record<Exclude<Dialect, 'preview'>, RegExp>;

/**
 * Where an opener may stand: `[needle, back]`, the candidate being `back` characters before the
 * needle. Plain strings are found with `indexOf` (fast on 50 KB of HTML, most of which holds none
 * of them); case-insensitive openers by their rare letters (`elq` by its `q`), or, for a tag,
 * by a global pattern of the whole opener with `reads`, how many characters a match reads from
 * its start: `indexOf('<s')` stops at every `<` of the HTML and costs more than the rest of the
 * lexing, while one case-insensitive pattern skips through the text. The sticky pattern decides.
 */
type Needle = readonly [needle: string, back: number] | readonly [needle: RegExp, back: 0, reads: number];

const NEEDLES: Readonly<Record<Exclude<Dialect, 'preview'>, readonly Needle[]>> = {
  marketo: [
    ['{{', 0],
    ['$', 0],
    ['#', 0],
  ],
  eloqua: [
    [/<span\b/gi, 0, 6],
    ['~~', 0],
    ['q', 2],
    ['Q', 2],
  ],
  sfmc: [
    ['%%', 0],
    ['{{', 0],
    [/<script\b/gi, 0, 8],
  ],
  hubspot: [
    ['{{', 0],
    ['{%', 0],
    ['{#', 0],
  ],
  braze: [
    ['{{', 0],
    ['{%', 0],
  ],
};

/** Up to this many characters after a search's start, a bounded search looks through all of them (no slice). */
const SHORT_REST = 2048;

/**
 * Where the last `search` looked up to: its answer is the first occurrence at or after its start,
 * if one starts before this (exclusive) position. Lexing is synchronous, so one slot suffices.
 */
let searchedTo = 0;

/**
 * The first occurrence of `needle` at or after `start`, or -1, looking at least at those that
 * start before `end` (all of them when `end` is at the text's length, or the rest of the text is
 * short); `searchedTo` tells how far it looked. A pattern is run on the text up to `end` and what
 * its match reads, so a boundary (`\b`) after it sees the character the whole text has there.
 */
function search(text: string, needle: Needle, start: number, end: number): number {
  const [what] = needle;
  if (end >= text.length || text.length - start <= SHORT_REST) {
    searchedTo = text.length + 1;
    if (typeof what === 'string') return text.indexOf(what, start);
    what.lastIndex = start;
    return what.exec(text)?.index ?? -1;
  }
  searchedTo = end;
  if (typeof what === 'string') {
    const i = start >= end ? -1 : text.slice(start, end + what.length - 1).indexOf(what);
    return i === -1 ? -1 : start + i;
  }
  if (start >= end) return -1;
  what.lastIndex = 0;
  const i = what.exec(text.slice(start, end + (needle[2] ?? 1) - 1))?.index ?? -1;
  return i === -1 || i >= end - start ? -1 : start + i;
}

/** How far a failed opener attempt may have looked (the longest fixed opener, `<script` and a boundary). */
const FIXED_REACH = 9;
/** The runs that a failed `#name(` or `elq…=` attempt reads before giving up. */
const RUN: Partial<Record<Exclude<Dialect, 'preview'>, RegExp>> = {
  marketo: /#\{?[A-Za-z][\w-]*\}?\s*/y,
  eloqua: /elq[\w-]*\s*/iy,
};

/** One past the last character an opener attempt at `at` that found nothing may have read. */
function failedReach(dialect: Exclude<Dialect, 'preview'>, text: string, at: number): number {
  const run = RUN[dialect];
  let reach = at + FIXED_REACH;
  if (run) {
    run.lastIndex = at;
    if (run.test(text)) reach = Math.max(reach, run.lastIndex + 1);
  }
  return reach;
}

/** A failed attempt whose reach is at most this far past it is not recorded (see `Lexed.long`). */
const SHORT = 64;

/** Whether `text[from, to)` holds a `<` or a `>`. */
export function hasBracket(text: string, from: number, to: number): boolean {
  for (let i = Math.max(0, from); i < to && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 60 || c === 62) return true;
  }
  return false;
}

/**
 * A lexed text with what an incremental re-lex needs: the constructs, and how far each attempt
 * read. An attempt (an opener tried at a position) reads forward from its position, and backward
 * only one character (`\b`) or, for Eloqua's `elq…=` attributes, back to the nearest `<` or `>`.
 */
export interface Lexed {
  constructs: LiveConstruct[];
  /** Per construct: one past the farthest character read by any attempt up to and including it (non-decreasing). */
  reach: number[];
  /** Failed attempts that read more than `SHORT` characters ahead: position, then the running farthest reach (pairs). */
  long: number[];
}

/** A small cache of the next occurrence of each needle, searched only up to a limit. */
class Needles {
  /** Per needle: the first occurrence at or after `from` (-1: none before `upto`). */
  private readonly pos: number[] = [-1, -1, -1, -1];
  private readonly from: number[] = [0, 0, 0, 0];
  private readonly upto: number[] = [-1, -1, -1, -1];
  constructor(
    private readonly text: string,
    private readonly needles: readonly Needle[],
  ) {
    for (let k = 4; k < needles.length; k++) {
      this.pos.push(-1);
      this.from.push(0);
      this.upto.push(-1);
    }
  }

  /** The first candidate in `[cursor, limit)`, or -1. */
  next(cursor: number, limit: number): number {
    const { text, needles, pos, from, upto } = this;
    let best = -1;
    for (let k = 0; k < needles.length; k++) {
      const needle = needles[k] ?? (['', 0] as const);
      const back = needle[1];
      // Needle occurrences are searched from `cursor + back` (their candidate is `back` before them).
      const lo = cursor + back;
      const hi = limit + back;
      let p = pos[k] ?? -1;
      const f = from[k] ?? 0;
      const u = upto[k] ?? -1;
      if (!(f <= lo && (p >= lo || (p === -1 && u >= hi)))) {
        // Not known: search what is not yet searched (the whole rest when unbounded).
        const start = p === -1 && f <= lo && u > lo ? u : lo;
        p = search(text, needle, start, hi);
        pos[k] = p;
        from[k] = lo;
        upto[k] = searchedTo;
      }
      if (p !== -1 && p < hi && (best === -1 || p - back < best)) best = p - back;
    }
    return best;
  }
}

/**
 * What a scan reports to: each construct found (`found` returns false to stop there), each
 * attempt that found none, and the limit below which candidates are sought from a cursor (the
 * text's length to go on). An object, not callbacks: closures made per scan cost more than a
 * short scan does when run from source (each is also named with `Object.defineProperty`).
 */
interface Visitor {
  found(c: LiveConstruct): boolean;
  failed(at: number, reach: number): void;
  limit(cursor: number): number;
}

/**
 * Scans `text` from `from`, reporting to `visitor`, until no candidate stands below the limit it
 * gives or `found` says stop; returns where it stopped.
 */
function scanFrom(dialect: Exclude<Dialect, 'preview'>, text: string, from: number, visitor: Visitor): number {
  const sticky = STICKY[dialect];
  const needles = new Needles(text, NEEDLES[dialect]);
  let cursor = from;
  for (;;) {
    const limit = visitor.limit(cursor);
    const at = needles.next(cursor, limit);
    if (at === -1) return cursor;
    sticky.lastIndex = at;
    const m = sticky.exec(text);
    if (m === null) {
      visitor.failed(at, failedReach(dialect, text, at));
      cursor = at + 1;
      continue;
    }
    const c = construct(dialect, text, at, m[0]);
    if (!c) {
      // Only Eloqua refuses a matched opener: a <span> without eloquaemail (read to its `>`), an elq…= outside a tag.
      visitor.failed(at, m[0].startsWith('<') ? closeAt(text, '>', at) + 1 : at + m[0].length + 1);
      cursor = at + 1;
      continue;
    }
    if (!visitor.found(c)) return c.end;
    cursor = Math.max(c.end, at + 1);
  }
}

/** Collects every construct of a whole text, and what `relex` needs (`Lexed`). */
class Tracker implements Visitor {
  readonly constructs: LiveConstruct[] = [];
  readonly reach: number[] = [];
  readonly long: number[] = [];
  far = 0;
  constructor(private readonly end: number) {}
  found(c: LiveConstruct): boolean {
    this.far = Math.max(this.far, c.end + 1);
    this.constructs.push(c);
    this.reach.push(this.far);
    return true;
  }
  failed(at: number, r: number): void {
    this.far = Math.max(this.far, r);
    if (r > at + SHORT) this.long.push(at, this.far);
  }
  limit(): number {
    return this.end;
  }
}

/** Collects the constructs of a whole text. */
class Collector implements Visitor {
  readonly constructs: LiveConstruct[] = [];
  constructor(private readonly end: number) {}
  found(c: LiveConstruct): boolean {
    this.constructs.push(c);
    return true;
  }
  failed(): void {
    // Attempts that found nothing do not matter here.
  }
  limit(): number {
    return this.end;
  }
}

/** Finds the first construct that starts before a limit. */
class First implements Visitor {
  start = -1;
  constructor(private readonly end: number) {}
  found(c: LiveConstruct): boolean {
    this.start = c.start;
    return false;
  }
  failed(): void {
    // Attempts that found nothing do not matter here.
  }
  limit(): number {
    return this.end;
  }
}

/** Lexes `text` whole, recording what `relex` needs. */
export function lexTracked(dialect: Exclude<Dialect, 'preview'>, text: string): Lexed {
  const tracker = new Tracker(text.length);
  scanFrom(dialect, text, 0, tracker);
  return { constructs: tracker.constructs, reach: tracker.reach, long: tracker.long };
}

/** Index of the first entry of a non-decreasing list (every `stride`-th from `offset`) above `x`, in entries. */
function firstAbove(list: readonly number[], x: number, stride = 1, offset = 0): number {
  let lo = 0;
  let hi = Math.floor(list.length / stride);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid * stride + offset] ?? 0) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first construct that ends after `at`. */
function firstEndingAfter(constructs: readonly LiveConstruct[], at: number): number {
  let lo = 0;
  let hi = constructs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((constructs[mid]?.end ?? 0) <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where a re-lex after an edit at `a` starts: before everything of the old lexing that read into the edit. */
function relexStart(old: Lexed, a: number): number {
  const { constructs: oc, reach: or, long: ol } = old;
  // Start: before every construct and long attempt that read into the edit, and SHORT before it.
  let y = Math.max(0, a - SHORT);
  const kc = firstAbove(or, a);
  if (kc < oc.length) y = Math.min(y, oc[kc]?.start ?? 0);
  const kl = firstAbove(ol, a, 2, 1);
  if (kl * 2 < ol.length) y = Math.min(y, ol[kl * 2] ?? 0);
  // Between old constructs: a construct around y is lexed again from its start.
  const around = oc[firstEndingAfter(oc, y)];
  if (around && around.start < y) y = around.start;
  return y;
}

/**
 * Re-lexes `text` after an edit that replaced `[a, b)` of the text `old` was lexed from by
 * `[a, b2)` of `text`, giving exactly what `lexTracked(dialect, text)` gives, and the constructs
 * that were lexed again (`fresh`; the others are old ones, unchanged or shifted past the edit).
 *
 * It starts at a position before `a` that every earlier attempt's reading ends before, lexes the
 * edited part, and stops once it stands, after the edit, where the old lexing stood too (between
 * constructs) and no later attempt can read into the edit (for Eloqua, once a `<` or `>` follows it,
 * unless the edit neither removed nor wrote one: `removedBracket` says whether the old `[a, b)`
 * held one; when not known, pass nothing).
 */
export function relex(
  dialect: Exclude<Dialect, 'preview'>,
  text: string,
  old: Lexed,
  a: number,
  b: number,
  b2: number,
  removedBracket = true,
): { lexed: Lexed; fresh: LiveConstruct[] } {
  const result = relexIn(dialect, text, 0, text.length, old, a, b, b2, removedBracket);
  if (!result) throw new Error('unreachable: a re-lex of the whole text needs nothing outside it');
  return result;
}

/**
 * The part of the new text `relexWindow` should be given for an edit: `[from, to)`. Its start is
 * where `relex` starts (less a margin for the character a boundary reads back), its end a margin
 * past where it expects to rejoin the old lexing. A window that turns out too small is reported
 * by `relexWindow`, never guessed around.
 */
export function relexSpan(old: Lexed, a: number, b: number, b2: number, length: number): [from: number, to: number] {
  const y = relexStart(old, a);
  const oc = old.constructs;
  // The old position just past the edit, or the end of an old construct around it.
  let x = b + 1;
  const c = oc[firstEndingAfter(oc, x)];
  if (c && c.start < x) x = c.end;
  return [Math.max(0, y - WINDOW_MARGIN), Math.min(length, x + (b2 - b) + 4 * WINDOW_MARGIN)];
}

/** Characters a window holds beyond what a re-lex is expected to read (see `relexSpan`). */
const WINDOW_MARGIN = 32;

/**
 * `relex` given only `[from, from + window.length)` of the new text (whose length is `length`):
 * the same result, or `undefined` when the re-lex would read, forward or back, outside the window
 * (the caller then re-lexes with the whole text). Every read the lexer makes from a position is
 * bounded by the reach it records, and the only reads back are one character (a word boundary)
 * and Eloqua's search for the tag an `elq…=` stands in; a window is enough when the reach stays
 * inside it, the searches for openers stop inside it with room for the longest opener, and the
 * tag search found a bracket inside it.
 */
export function relexWindow(
  dialect: Exclude<Dialect, 'preview'>,
  slice: string,
  from: number,
  length: number,
  old: Lexed,
  a: number,
  b: number,
  b2: number,
  removedBracket = true,
): { lexed: Lexed; fresh: LiveConstruct[] } | undefined {
  return relexIn(dialect, slice, from, length, old, a, b, b2, removedBracket);
}

/**
 * The scan of a re-lex: records what it lexes again (in the whole text's offsets, the scanned text
 * starting at `base`), and gives as limit the next position, after the edit, where the old lexing
 * stood between constructs (`rejoin`; `rejoinOld` in the old text), so the scan stops there.
 */
class Rejoining implements Visitor {
  rejoin = -1;
  rejoinOld = 0;
  /** The farthest limit the opener searches ran to, in the window. */
  searched = 0;
  readonly fresh: LiveConstruct[] = [];
  constructor(
    private readonly base: number,
    private readonly length: number,
    private readonly after: number,
    private readonly delta: number,
    private readonly oc: readonly LiveConstruct[],
    private readonly constructs: LiveConstruct[],
    private readonly reach: number[],
    private readonly long: number[],
    public far: number,
  ) {}

  found(w: LiveConstruct): boolean {
    const { base } = this;
    // Not moved in place: the scan goes on from the construct's end in the window.
    const c = base === 0 ? w : made(w.start + base, w.kind, w.end + base);
    this.far = Math.max(this.far, c.end + 1);
    this.constructs.push(c);
    this.reach.push(this.far);
    this.fresh.push(c);
    return true;
  }

  failed(at: number, r: number): void {
    this.far = Math.max(this.far, this.base + r);
    if (r > at + SHORT) this.long.push(this.base + at, this.far);
  }

  limit(cursor: number): number {
    const { base, length, oc } = this;
    const lo = Math.max(base + cursor, this.after);
    let limit: number;
    if (lo > length) {
      this.rejoin = -1;
      limit = length;
    } else {
      let x = lo - this.delta;
      const c = oc[firstEndingAfter(oc, x)];
      if (c && c.start < x) x = c.end;
      this.rejoin = x + this.delta;
      this.rejoinOld = x;
      limit = Math.min(this.rejoin, length);
    }
    this.searched = Math.max(this.searched, limit);
    return limit - base;
  }
}

function relexIn(
  dialect: Exclude<Dialect, 'preview'>,
  text: string,
  base: number,
  length: number,
  old: Lexed,
  a: number,
  b: number,
  b2: number,
  removedBracket: boolean,
): { lexed: Lexed; fresh: LiveConstruct[] } | undefined {
  const top = base + text.length;
  const atEnd = top >= length;
  const delta = b2 - b;
  const { constructs: oc, reach: or, long: ol } = old;
  const y = relexStart(old, a);
  // The word boundary before a candidate reads one character back.
  if (base > 0 && y - 1 < base) return undefined;
  const keep = firstEndingAfter(oc, y);
  const constructs = oc.slice(0, keep);
  const reach = or.slice(0, keep);
  let far = reach.length > 0 ? (reach[reach.length - 1] ?? 0) : 0;
  const long: number[] = [];
  for (let i = 0; i < ol.length && (ol[i] ?? 0) < y; i += 2) {
    long.push(ol[i] ?? 0, ol[i + 1] ?? 0);
    far = Math.max(far, ol[i + 1] ?? 0);
  }
  // Where the new lexing may rejoin the old one: after the edit and the one character a boundary
  // reads back, after a `<` or `>` for Eloqua's attributes, at a position the old lexing stood at.
  let after = b2 + 1;
  // An Eloqua attempt after the edit reads back to the nearest `<` or `>`, and the letter after a
  // `<`. When the edit neither removed nor wrote a bracket and does not follow a `<`, that is the
  // same bracket, and letter, as before the edit: past it, the old lexing holds.
  if (dialect === 'eloqua' && (removedBracket || hasBracket(text, a - base, b2 - base) || text[a - base - 1] === '<')) {
    const lt = text.indexOf('<', b2 - base);
    const gt = text.indexOf('>', b2 - base);
    const tag = lt === -1 ? gt : gt === -1 ? lt : Math.min(lt, gt);
    if (tag === -1 && !atEnd) return undefined;
    after = tag === -1 ? length + 1 : Math.max(after, base + tag + 1);
  }
  windowRead.blind = false;
  const scan = new Rejoining(base, length, after, delta, oc, constructs, reach, long, far);
  const stop = scanFrom(dialect, text, y - base, scan);
  const { rejoin, rejoinOld, searched, fresh } = scan;
  far = scan.far;
  // In a window: nothing read outside it. The opener searches read up to FIXED_REACH past their
  // limit; a recorded reach may be a character or two short of what a pattern looked at (the
  // whole-text re-lex covers that with SHORT), so the window keeps FIXED_REACH to spare.
  if (!atEnd && (far + FIXED_REACH >= top || searched + FIXED_REACH >= top)) return undefined;
  if (base > 0 && wasBlind()) return undefined;
  const end = base + stop;
  if (rejoin !== -1 && end <= rejoin && rejoin <= length) {
    // Rejoined: the old lexing from rejoinOld on, shifted.
    for (let i = firstEndingAfter(oc, rejoinOld); i < oc.length; i++) {
      const c = oc[i];
      if (!c || c.start < rejoinOld) continue;
      constructs.push(delta === 0 ? c : made(c.start + delta, c.kind, c.end + delta));
      reach.push(Math.max(far, (or[i] ?? 0) + delta));
    }
    for (let i = 0; i < ol.length; i += 2)
      if ((ol[i] ?? 0) >= rejoinOld) long.push((ol[i] ?? 0) + delta, Math.max(far, (ol[i + 1] ?? 0) + delta));
  } else if (!atEnd) return undefined;
  return { lexed: { constructs, reach, long }, fresh };
}

/**
 * Every live construct of `dialect` in `text`, in order and without overlap (the inside of a
 * construct is not searched again). Never throws; `preview` has none.
 */
export function lexDialect(dialect: Dialect, text: string): LiveConstruct[] {
  const input: unknown = text;
  if (typeof input !== 'string')
    throw new HubspokeError('E_VALIDATION', `text: expected a string, got ${input === null ? 'null' : typeof input}`, {
      path: 'text',
    });
  if (dialect === 'preview') return [];
  if (typeof dialect !== 'string' || !Object.hasOwn(OPENERS, dialect))
    throw new HubspokeError(
      'E_VALIDATION',
      `dialect: expected one of ${Object.keys(CONSTRUCT_CLASSES).join(', ')}, got ${typeof dialect === 'string' ? JSON.stringify(dialect.slice(0, 40)) : typeof dialect}`,
      {
        path: 'dialect',
      },
    );
  const collector = new Collector(text.length);
  scanFrom(dialect, text, 0, collector);
  return collector.constructs;
}

/** The offset of the first live construct that starts in `text[from, to)`, or -1. */
export function firstOpener(dialect: Dialect, text: string, from: number, to: number): number {
  if (dialect === 'preview') return -1;
  const first = new First(to);
  scanFrom(dialect, text, from, first);
  return first.start;
}
