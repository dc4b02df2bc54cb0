import { inspect } from 'node:util';
import { SECRET_FRAGMENT } from '../redact.js';

/**
 * Every way a thrown value is shown: its message, `String()`, `JSON.stringify` (through `toJSON`),
 * `util.inspect` at full depth (stack, cause chain, own properties) and its stack.
 */
export function shownForms(value: unknown): string[] {
  const forms: string[] = [];
  const attempt = (show: () => string) => {
    try {
      forms.push(show());
    } catch (error) {
      forms.push(`(could not be shown: ${String(error)})`);
    }
  };
  attempt(() => inspect(value, { depth: null, showHidden: false, breakLength: Infinity }));
  attempt(() => {
    const json: unknown = JSON.stringify(value);
    return typeof json === 'string' ? json : 'undefined';
  });
  if (value instanceof Error) {
    attempt(() => value.message);
    attempt(() => String(value));
    attempt(() => value.stack ?? '');
  }
  return forms;
}

/**
 * The runs of `fragment` characters (default 8) of any secret that appear in any of `texts`:
 * an empty list means nothing leaked, not even part of a secret.
 */
export function secretLeaks(
  texts: readonly string[],
  secrets: readonly string[],
  fragment: number = SECRET_FRAGMENT,
): string[] {
  const found = new Set<string>();
  for (const secret of secrets) {
    for (let i = 0; i + fragment <= secret.length; i++) {
      const part = secret.slice(i, i + fragment);
      if (texts.some((text) => text.includes(part))) found.add(part);
    }
  }
  return [...found];
}
