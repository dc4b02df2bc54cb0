import { HubspokeError } from '@hubspoke/core';

/** The fixed scope names; `module:<id>` and `slot:<id>` name template parts. */
export const SCOPE_NAMES = ['subject', 'preheader', 'heading', 'body', 'cta', 'alt', 'link.href', 'footer'] as const;

/** What a rule looks at when the config does not say: every text a reader sees, but not URLs. */
export const DEFAULT_TEXT_SCOPE: readonly string[] = ['subject', 'preheader', 'body', 'alt'];

/** One scope name, optionally negated with `~`. */
export const SCOPE_PATTERN =
  /^~?(?:subject|preheader|heading|body|cta|alt|link\.href|footer|(?:module|slot):[A-Za-z][A-Za-z0-9_.-]*)$/;

/** A compiled scope selection: in when any positive name matches (or there is none), and no negated one does. */
export interface ScopeSelector {
  readonly key: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export function isScopeName(value: string): boolean {
  return SCOPE_PATTERN.test(value);
}

/** Compiles `'body'`, `['heading', 'cta']` or `['body', '~footer']`; throws `E_VALIDATION` naming the bad entry. */
export function compileScope(scope: string | readonly string[], path = 'scope'): ScopeSelector {
  const list = typeof scope === 'string' ? [scope] : scope;
  list.forEach((name, i) => {
    if (!isScopeName(name)) {
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid ${path}[${i}]: expected a scope (${SCOPE_NAMES.join(', ')}, module:<id> or slot:<id>, optionally negated with ~), got ${JSON.stringify(name)}`,
        { path: `${path}[${i}]` },
      );
    }
  });
  const include = list.filter((s) => !s.startsWith('~'));
  const exclude = list.filter((s) => s.startsWith('~')).map((s) => s.slice(1));
  return { key: [...include].sort().join(',') + '|' + [...exclude].sort().join(','), include, exclude };
}

export function inScope(selector: ScopeSelector, scopes: ReadonlySet<string>): boolean {
  if (selector.exclude.some((s) => scopes.has(s))) return false;
  return selector.include.length === 0 || selector.include.some((s) => scopes.has(s));
}
