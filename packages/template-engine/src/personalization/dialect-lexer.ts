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
  const at = (kind: ConstructClass, end: number): LiveConstruct => ({ kind, start, end });
  switch (dialect) {
    case 'marketo':
      if (opener === '{{') return at('marketo-token', closeAt(text, '}}', start + 2));
      if (opener === '${') return at('marketo-variable', closeAt(text, '}', start + 2));
      if (opener.startsWith('$')) return at('velocity-reference', velocityReferenceEnd(text, start, opener));
      if (opener === '##') {
        const nl = text.indexOf('\n', start);
        return at('velocity-comment', nl === -1 ? text.length : nl);
      }
      if (opener === '#*') return at('velocity-comment', closeAt(text, '*#', start + 2));
      if (opener === '#[[') return at('velocity-unparsed', closeAt(text, ']]#', start + 3));
      return at('velocity-directive', start + opener.length);
    case 'eloqua': {
      if (opener === '~~') return at('eloqua-marker', closeAt(text, '~~', start + 2));
      if (opener.startsWith('<')) {
        const end = closeAt(text, '>', start);
        return /eloquaemail/i.test(text.slice(start, end)) ? at('eloqua-merge', end) : undefined;
      }
      // An `elq…=` attribute: inside a tag, that is after a `<letter` with no `>` since.
      const open = text.lastIndexOf('<', start);
      const inTag = open !== -1 && text.lastIndexOf('>', start) < open && /[A-Za-z]/.test(text[open + 1] ?? '');
      return inTag && /\s/.test(text[start - 1] ?? '') ? at('eloqua-attribute', start + opener.length) : undefined;
    }
    case 'sfmc': {
      if (opener === '{{') return at('gtl', closeAt(text, text.startsWith('{{{', start) ? '}}}' : '}}', start + 2));
      if (opener.startsWith('<')) {
        const close = text.slice(start).search(/<\/script\s*>/i);
        return at('server-script', close === -1 ? text.length : closeAt(text, '>', start + close));
      }
      const next = text[start + 2];
      if (next === '=') return at('ampscript-inline', closeAt(text, '=%%', start + 3));
      if (next === '[') return at('ampscript-block', closeAt(text, ']%%', start + 3));
      return at('ampscript-attribute', closeAt(text, '%%', start + 2));
    }
    case 'hubspot':
      if (opener === '{{') return at('hubl-expression', closeAt(text, '}}', start + 2));
      if (opener === '{#') return at('hubl-comment', closeAt(text, '#}', start + 2));
      return at('hubl-statement', liquidTagEnd(text, start));
    case 'braze':
      if (opener === '{{') return at('liquid-output', closeAt(text, '}}', start + 2));
      return at('liquid-tag', liquidTagEnd(text, start));
  }
}

/** Openers as sticky patterns, tried only where one of the dialect's first characters stands. */
const STICKY = Object.fromEntries(
  Object.entries(OPENERS).map(([d, re]) => [d, new RegExp(re.source, `${re.flags.replace('g', '')}y`)]),
) as Record<Exclude<Dialect, 'preview'>, RegExp>;

/**
 * What an opener starts with: plain strings are found with `indexOf` (fastest on 50 KB of HTML);
 * a dialect whose openers have many spellings (case-insensitive ones) uses one pattern instead.
 */
const FIRST: Readonly<Record<Exclude<Dialect, 'preview'>, readonly string[] | RegExp>> = {
  marketo: ['{{', '$', '#'],
  eloqua: /<[sS]|~~|[eE][lL][qQ]/g,
  sfmc: /%%|\{\{|<[sS]/g,
  hubspot: ['{{', '{%', '{#'],
  braze: ['{{', '{%'],
};

/**
 * Calls `found` for every opener match from `from` on, in order, until it returns false. Scans with
 * `indexOf` per first character (fast on 50 KB of HTML) and tries the sticky pattern only there.
 */
function scan(
  dialect: Exclude<Dialect, 'preview'>,
  text: string,
  from: number,
  found: (at: number, opener: string) => number | false,
): void {
  const sticky = STICKY[dialect];
  const firsts = FIRST[dialect];
  const next = firsts instanceof RegExp ? [] : firsts.map((first: string) => text.indexOf(first, from));
  let cursor = from;
  for (;;) {
    let at = -1;
    if (firsts instanceof RegExp) {
      firsts.lastIndex = cursor;
      at = firsts.exec(text)?.index ?? -1;
    } else
      for (let k = 0; k < firsts.length; k++) {
        let n = next[k] ?? -1;
        if (n !== -1 && n < cursor) next[k] = n = text.indexOf(firsts[k] ?? '', cursor);
        if (n !== -1 && (at === -1 || n < at)) at = n;
      }
    if (at === -1) return;
    sticky.lastIndex = at;
    const m = sticky.exec(text);
    if (m === null) {
      cursor = at + 1;
      continue;
    }
    const resume = found(at, m[0]);
    if (resume === false) return;
    cursor = Math.max(resume, at + 1);
  }
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
  const out: LiveConstruct[] = [];
  scan(dialect, text, 0, (at, opener) => {
    const found = construct(dialect, text, at, opener);
    if (!found) return at + 1;
    out.push(found);
    return found.end;
  });
  return out;
}

/** The offset of the first live construct that starts in `text[from, to)`, or -1. */
export function firstOpener(dialect: Dialect, text: string, from: number, to: number): number {
  if (dialect === 'preview') return -1;
  let first = -1;
  scan(dialect, text, from, (at, opener) => {
    if (at >= to) return false;
    if (!construct(dialect, text, at, opener)) return at + 1;
    first = at;
    return false;
  });
  return first;
}
