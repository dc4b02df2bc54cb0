import type { Dialect } from '@hubspoke/core';

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
 * Percent-encodes what no platform may see raw in a URL (`{ } $ ~ ` \ ^ | < > " '` and spaces), and
 * every `%` that does not start a valid escape, so `%%` never appears. The result is then safe in
 * an attribute after {@link escapeHtml}, in CSS `url('…')`, and in plain text.
 */
export function normalizeUrl(url: string): string {
  return url
    .trim()
    .replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._:/?#[\]@!&*+,;=%()]/g, (ch) =>
      Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    );
}

const ZWSP = '\u200b';

export interface EscapedText {
  text: string;
  /** A platform has no escape, so a zero-width space was put between live characters. */
  broken: boolean;
}

/**
 * Makes spoke text inert in a plain-text context (subject, preheader field, text part) where
 * entities cannot be used. HubL and Liquid print a literal `{` through an expression, AMPscript
 * through `Char()`; Marketo and Eloqua have no escape, so a zero-width space breaks the sequence.
 */
export function escapeText(text: string, dialect: Dialect): EscapedText {
  switch (dialect) {
    case 'preview':
      return { text, broken: false };
    case 'hubspot':
    case 'braze':
      return { text: text.replace(/\{(?=[{%#])/g, '{{ "{" }}'), broken: false };
    case 'sfmc':
      return {
        text: text.replace(/%|\{(?=\{)|<(?=script)/gi, (ch) => `%%=Char(${ch.charCodeAt(0)})=%%`),
        broken: false,
      };
    case 'marketo': {
      const out = text.replace(/([{$])(?=\{)/g, `$1${ZWSP}`);
      return { text: out, broken: out !== text };
    }
    case 'eloqua': {
      const out = text.replace(/~(?=~)/g, `~${ZWSP}`).replace(/<(?=span\b[^>]*eloquaemail)/gi, `<${ZWSP}`);
      return { text: out, broken: out !== text };
    }
  }
}
