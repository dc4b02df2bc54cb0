import type { Dialect } from '@hubspoke/core';
import { firstOpener } from './dialect-lexer.js';

/**
 * HTML escaping that also makes every platform's template syntax inert: `{ }` (Marketo, HubL,
 * Liquid, GTL), `%` (AMPscript), `$ #` (Velocity, Marketo variables), `~` (Eloqua markers),
 * backtick. Entities decode to the same characters in every client, and no platform's template
 * engine sees the live sequence in the source.
 */
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '{': '&#123;',
  '}': '&#125;',
  '%': '&#37;',
  $: '&#36;',
  '#': '&#35;',
  '~': '&#126;',
  '`': '&#96;',
};
const HTML_SPECIAL = /[&<>"'{}%$#~`]/g;

/** Escapes text for HTML content or a quoted attribute value, inert in every dialect. */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIAL, (ch) => HTML_ESCAPES[ch] ?? ch);
}

export const ALLOWED_URL_SCHEMES = ['https', 'http', 'mailto', 'tel'] as const;
export type UrlScheme = (typeof ALLOWED_URL_SCHEMES)[number];

export interface CheckedUrl {
  ok: boolean;
  /** Lower-case scheme, or undefined for relative and scheme-less values. */
  scheme: string | undefined;
  host: string | undefined;
  reason?: string;
}

/**
 * Classifies a URL as written by a spoke; control characters and whitespace tricks count against
 * it. `relative` admits links without a scheme: `fragment` only `#…`, `path` any relative
 * reference (never `//host`, which is another site).
 */
export function checkUrl(
  raw: string,
  allowed: readonly string[] = ALLOWED_URL_SCHEMES,
  relative?: 'fragment' | 'path',
): CheckedUrl {
  const value = raw.trim();
  // Browsers drop tabs/newlines inside schemes (`java\nscript:`), so judge the collapsed form.
  let collapsed = '';
  for (let i = 0; i < value.length; i++)
    if (!isControl(value.charCodeAt(i)) && value[i] !== ' ') collapsed += value[i] ?? '';
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(collapsed)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const ok =
      !hasControl(value) &&
      !/^[\\/]{2}/.test(collapsed) &&
      (relative === 'path' || (relative === 'fragment' && collapsed.startsWith('#')));
    if (ok) return { ok: true, scheme, host: undefined };
    return {
      ok: false,
      scheme,
      host: undefined,
      reason:
        relative === 'fragment'
          ? 'expected an absolute URL such as https://example.com, or #section'
          : 'expected an absolute URL such as https://example.com',
    };
  }
  if (!allowed.includes(scheme))
    return {
      ok: false,
      scheme,
      host: undefined,
      reason: `the "${scheme}:" scheme is not allowed (allowed: ${allowed.join(', ')})`,
    };
  if (hasControl(value))
    return { ok: false, scheme, host: undefined, reason: 'URLs may not contain control characters' };
  let host: string | undefined;
  if (scheme === 'http' || scheme === 'https') {
    host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^:/?#]+)/i.exec(value)?.[1]?.toLowerCase();
    if (host === undefined || host === '')
      return {
        ok: false,
        scheme,
        host: undefined,
        reason: 'expected a host after the scheme, as in https://example.com',
      };
  }
  return { ok: true, scheme, host };
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isControl(value.charCodeAt(i))) return true;
  return false;
}

/** Whether `host` matches `example.com` or, for `*.example.com`, any subdomain of it. */
export function hostAllowed(host: string, domains: readonly string[]): boolean {
  return domains.some((d) => {
    const domain = d.toLowerCase();
    if (domain.startsWith('*.')) {
      const base = domain.slice(2);
      return host === base || host.endsWith(`.${base}`);
    }
    return host === domain;
  });
}

/**
 * Percent-encodes what no platform may see raw in a URL (`{ } $ ~ ` \ ^ | < > " ' ( )`, spaces,
 * and every `#` after the one that starts the fragment), and every `%` that does not start a valid
 * escape, so `%%`, `{{`, `${`, `~~` and Velocity's `#name(` never appear. The result is then safe
 * in an attribute after {@link escapeHtml}, in CSS `url('…')`, and in plain text.
 */
export function normalizeUrl(url: string): string {
  const encode = (ch: string) =>
    Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const trimmed = url.trim();
  const hash = trimmed.indexOf('#');
  const encoded = trimmed.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._:/?#[\]@!&*+,;=%]/g, encode);
  if (hash === -1) return encoded;
  const at = encoded.indexOf('#');
  return encoded.slice(0, at + 1) + encoded.slice(at + 1).replace(/#/g, '%23');
}

const ZWSP = '\u200b';

export interface EscapedText {
  text: string;
  /** A platform has no escape, so a zero-width space was put between live characters. */
  broken: boolean;
  /** Offsets (start, end pairs) in `text` of the escape code written for the platform. */
  code: number[];
}

/** How far past a piece of text its neighbour is read: the longest opener any dialect has. */
export const LOOKAHEAD = 64;

/**
 * Makes spoke text inert in a plain-text context (subject, preheader field, text part) where
 * entities cannot be used. HubL and Liquid print a literal `{` through an expression, AMPscript
 * through `Char()`; Marketo and Eloqua have no escape, so a zero-width space breaks the sequence.
 * `next` is what follows the text in the output (the code of a token, the template): an opener
 * that starts in the text and is completed by its neighbour is broken too, so escaping holds at
 * the boundaries between pieces, not only inside them.
 */
export function escapeText(text: string, dialect: Dialect, next = ''): EscapedText {
  if (dialect === 'preview') return { text, broken: false, code: [] };
  const joined = next === '' ? text : text + next.slice(0, LOOKAHEAD);
  // AMPscript: every `%` (a lone one may meet its neighbour's), plus the other openers.
  // HubL: also a stray `#}`, which Jinja engines such as nunjucks refuse outside a comment.
  const openers = dialect === 'sfmc' ? /%|\{\{|<script\b/gi : dialect === 'hubspot' ? /\{[{%#]|#\}/g : null;
  let out = '';
  let last = 0;
  let broken = false;
  const code: number[] = [];
  let pos = 0;
  for (;;) {
    let p: number;
    if (openers) {
      openers.lastIndex = pos;
      const m = openers.exec(joined);
      p = m === null || m.index >= text.length ? -1 : m.index;
    } else p = firstOpener(dialect, joined, pos, text.length);
    if (p === -1) break;
    const ch = text[p] ?? '';
    if (dialect === 'marketo' || dialect === 'eloqua') {
      out += text.slice(last, p + 1) + ZWSP;
      broken = true;
    } else {
      out += text.slice(last, p);
      const escape = dialect === 'sfmc' ? `%%=Char(${ch.charCodeAt(0)})=%%` : `{{ "${ch}" }}`;
      code.push(out.length, out.length + escape.length);
      out += escape;
    }
    last = p + 1;
    pos = p + 1;
  }
  if (last === 0) return { text, broken: false, code: [] };
  return { text: out + text.slice(last), broken, code };
}

/** Control characters (C0, DEL, C1): never in a header field such as the subject. */
// eslint-disable-next-line no-control-regex -- the point is to find them
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A header field's value with every control character (CR, LF, tab, NUL…) made a space: same length. */
export function headerSafe(value: string): string {
  return value.replace(CONTROL, ' ');
}
