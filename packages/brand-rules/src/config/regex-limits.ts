/**
 * Longest text a user regular expression runs against. Patterns that pass the guard can still
 * be quadratic over a text (`\s+$` tried at every position); this bounds that to tens of ms.
 */
export const MAX_REGEX_INPUT = 10_000;
