import type { RegexHazard } from './regex-guard.js';

export { MAX_REGEX_INPUT } from './regex-limits.js';

/**
 * The browser build (`@hubspoke/brand-rules/browser`) leaves the ReDoS analysis out: its
 * libraries (refa, scslre, regexpp) weigh about 250 KB gzipped, more than the rest of the
 * linter. A browser lints with a config its hub server already loaded, and so checked, with
 * the Node build; every rule regex still runs on at most MAX_REGEX_INPUT characters.
 */
export function findRegexHazard(_source: string, _flags: string): RegexHazard | undefined {
  return undefined;
}
