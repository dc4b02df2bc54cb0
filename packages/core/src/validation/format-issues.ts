import type { z } from 'zod';

/** One bad value: where it is, what was expected, what was found. */
export interface ValidationIssue {
  /** Dotted path from the root label, e.g. `brandKit.palette[2].hex`. */
  path: string;
  /** What was expected, e.g. `expected a hex colour like #1A2B3C`. */
  expected: string;
  /** A short rendering of what was found, e.g. `"red"` or `nothing`. */
  received: string;
  /** `path: expected, got received`. */
  message: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** `['palette', 2, 'hex']` under root `brandKit` → `brandKit.palette[2].hex`. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENT.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

/** A short, safe rendering of a received value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function article(type: string): string {
  if (type === 'array' || type === 'object' || type === 'integer') return `an ${type}`;
  if (type === 'undefined' || type === 'null' || type === 'never') return type;
  return `a ${type}`;
}

function bound(kind: string, op: 'min' | 'max', n: number | bigint, inclusive: boolean): string {
  const cmp = op === 'min' ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
  if (kind === 'string') return `expected ${cmp} ${n} character${n === 1 ? '' : 's'}`;
  if (kind === 'array' || kind === 'set') return `expected ${cmp} ${n} item${n === 1 ? '' : 's'}`;
  return `expected a number ${cmp} ${n}`;
}

/** zod's default messages start with a capital and a category; custom ones are kept as written. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized)/.test(message);
}

function expectation(issue: z.core.$ZodIssue): string {
  if (!isDefaultMessage(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${article(issue.expected)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}`;
    case 'too_small':
      return bound(issue.origin, 'min', issue.minimum, issue.inclusive ?? true);
    case 'too_big':
      return bound(issue.origin, 'max', issue.maximum, issue.inclusive ?? true);
    case 'invalid_format':
      return `expected a valid ${issue.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return 'expected no such key';
    case 'invalid_key':
      return 'expected a valid key';
    case 'invalid_element':
      return 'expected a valid element';
    case 'invalid_union':
      return 'expected a value matching one of the allowed shapes';
    case 'custom':
      return issue.message;
  }
}

/** Flattens zod issues into one readable line per bad path. */
export function formatIssues(root: string, issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = formatPath(root, [...issue.path, key]);
        const expected = 'unknown key (check the spelling, or remove it)';
        out.push({ path, expected, received: 'a value', message: `${path}: ${expected}` });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && 'discriminator' in issue && typeof issue.discriminator === 'string') {
      const options = (issue as { options?: unknown[] }).options ?? [];
      const path = formatPath(root, issue.path);
      const expected = `expected one of ${options.map((o) => JSON.stringify(o)).join(' | ')}`;
      const input = (issue as { input?: unknown }).input;
      const received = describeValue(
        typeof input === 'object' && input !== null
          ? (input as Record<string, unknown>)[issue.discriminator]
          : undefined,
      );
      out.push({ path, expected, received, message: `${path}: ${expected}, got ${received}` });
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest: the one with the fewest, deepest issues.
      const best = [...issue.errors].sort((a, b) => a.length - b.length || depth(b) - depth(a))[0];
      if (best !== undefined && best.length > 0 && depth(best) > 0) {
        const nested = best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
        out.push(...formatIssues(root, nested));
        continue;
      }
    }
    const path = formatPath(root, issue.path);
    const expected = expectation(issue);
    const received = describeValue((issue as { input?: unknown }).input);
    out.push({ path, expected, received, message: `${path}: ${expected}, got ${received}` });
  }
  return out;
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}
