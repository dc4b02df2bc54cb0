import type { z } from 'zod';
import { closest, describeSchema, knownKeys, schemaAt, unionOptions, type SchemaNode } from './describe-schema.js';

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

function valuesExpected(values: readonly unknown[]): string {
  return values.length === 1
    ? `expected ${JSON.stringify(values[0])}`
    : `expected one of ${values.map((v) => JSON.stringify(v)).join(' | ')}`;
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
  if (issue.code === 'invalid_value' && typeof issue.input === 'string') {
    const base = isDefaultMessage(issue.message) ? valuesExpected(issue.values) : issue.message;
    const near = closest(issue.input, issue.values);
    return near === undefined ? base : `${base} (did you mean ${JSON.stringify(near)}?)`;
  }
  if (!isDefaultMessage(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${article(issue.expected)}`;
    case 'invalid_value':
      return valuesExpected(issue.values);
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
      // Reached only for a union whose alternatives left no issues to compare (formatIssues handles the rest).
      return 'expected one of the alternatives';
    case 'custom':
      return issue.message;
  }
}

/** Finds the schema at a path (relative to the value being formatted), when it is known. */
type SchemaLookup = (path: readonly PropertyKey[]) => SchemaNode | undefined;

const unknownSchema: SchemaLookup = () => undefined;

/**
 * Flattens zod issues into one readable line per bad path. Pass the `schema` that produced
 * the issues so that a union's error can name its alternatives (`{user} | {role, region?}`);
 * without it they are described from what each alternative expected.
 */
export function formatIssues(
  root: string,
  issues: readonly z.core.$ZodIssue[],
  schema?: z.core.$ZodType,
): ValidationIssue[] {
  const node = schema as unknown as SchemaNode | undefined;
  return collect(root, issues, node === undefined ? unknownSchema : (path) => schemaAt(node, path));
}

function collect(root: string, issues: readonly z.core.$ZodIssue[], lookup: SchemaLookup): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(lookup(issue.path));
      for (const key of issue.keys) {
        const path = formatPath(root, [...issue.path, key]);
        const near = closest(key, known);
        const expected = `unknown key (${near === undefined ? 'check the spelling, or remove it' : `did you mean ${JSON.stringify(near)}?`})`;
        out.push({ path, expected, received: 'a value', message: `${path}: ${expected}` });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && 'discriminator' in issue && typeof issue.discriminator === 'string') {
      const options = ((issue as { options?: unknown[] }).options ?? []).filter((o) => typeof o !== 'symbol');
      const path = formatPath(root, issue.path);
      const input = (issue as { input?: unknown }).input;
      const found =
        typeof input === 'object' && input !== null
          ? (input as Record<string, unknown>)[issue.discriminator]
          : undefined;
      const near = typeof found === 'string' ? closest(found, options) : undefined;
      const expected = `${valuesExpected(options)}${near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`;
      const received = describeValue(found);
      out.push({ path, expected, received, message: `${path}: ${expected}, got ${received}` });
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.push(unionIssue(root, issue, lookup));
      continue;
    }
    const path = formatPath(root, issue.path);
    const expected = expectation(issue);
    const received = describeValue((issue as { input?: unknown }).input);
    out.push({ path, expected, received, message: `${path}: ${expected}, got ${received}` });
  }
  return out;
}

/**
 * One line for a value that matched none of a union's alternatives: all of them, and where the
 * closest one (fewest and least fundamental mismatches) first fails.
 */
function unionIssue(root: string, issue: z.core.$ZodIssueInvalidUnion, lookup: SchemaLookup): ValidationIssue {
  const path = formatPath(root, issue.path);
  const union = lookup(issue.path);
  const options = union === undefined ? undefined : unionOptions(union);
  const alternatives = issue.errors.map((branch, i) => {
    const option = options?.[i];
    return option === undefined ? describeFromIssues(branch) : describeSchema(option);
  });
  const listed = [...new Set(alternatives)].join(' | ');
  const input = (issue as { input?: unknown }).input;
  const received = describeValue(input);

  const ranked = issue.errors
    .map((branch, index) => ({ branch, index, score: closeness(branch, input) }))
    .sort((a, b) => compareScores(a.score, b.score) || a.index - b.index);
  const best = ranked[0];
  const firstDeeper = best?.branch.find((i) => i.path.length > 0 || i.code === 'invalid_union');
  if (best === undefined || firstDeeper === undefined) {
    // Every alternative failed on the value itself (its type, or which literal it is).
    const near = typeof input === 'string' ? closest(input, rootValues(issue.errors)) : undefined;
    const expected = `expected ${listed}${near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`;
    return { path, expected, received, message: `${path}: ${expected}, got ${received}` };
  }
  const tag = sharedTag(issue.errors);
  if (tag !== undefined && best.score[1] > 0) {
    // Every alternative is told apart by the value at one key (`on`, `rule`): that value is the mistake.
    const tagPath = formatPath(root, [...issue.path, ...tag.path]);
    const found = tag.input;
    const near = typeof found === 'string' ? closest(found, tag.values) : undefined;
    const expected = `${valuesExpected(tag.values)}${near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`;
    const got = describeValue(found);
    return {
      path: tagPath,
      expected: `${expected} (${path} is one of ${listed})`,
      received: got,
      message: `${path}: expected ${listed} — at ${tagPath}: ${expected}, got ${got}`,
    };
  }
  const option = options?.[best.index];
  const branchLookup: SchemaLookup = (p) => {
    if (p.length < issue.path.length || issue.path.some((key, i) => p[i] !== key)) return lookup(p);
    return option === undefined ? undefined : schemaAt(option, p.slice(issue.path.length));
  };
  const nested = { ...firstDeeper, path: [...issue.path, ...firstDeeper.path] } as z.core.$ZodIssue;
  const inner = collect(root, [nested], branchLookup)[0];
  const closestAlt = alternatives[best.index] ?? 'the first';
  if (inner === undefined) {
    const expected = `expected ${listed}`;
    return { path, expected, received, message: `${path}: ${expected}, got ${received}` };
  }
  const misspelt = misspeltKey(best.branch);
  const note =
    misspelt === undefined
      ? ''
      : ` (${formatPath(root, [...issue.path, misspelt.key])} looks like a misspelling of ${misspelt.meant})`;
  const lead = `expected ${listed} — closest ${closestAlt}, at`;
  return {
    path: inner.path,
    expected: `${inner.expected} (${path} is one of ${listed}; closest ${closestAlt})`,
    received: inner.received,
    message: `${path}: ${lead} ${inner.message}${note}`,
  };
}

/** The key every alternative checks for a fixed value (`on: "submit"` vs `on: "at"`), with all the values. */
function sharedTag(
  branches: readonly (readonly z.core.$ZodIssue[])[],
): { path: readonly PropertyKey[]; values: unknown[]; input: unknown } | undefined {
  let key: string | undefined;
  let input: unknown;
  const values: unknown[] = [];
  for (const branch of branches) {
    const tag = branch.find((i) => i.code === 'invalid_value' && i.path.length === 1);
    if (tag?.code !== 'invalid_value') return undefined;
    const k = JSON.stringify(tag.path);
    if (key !== undefined && key !== k) return undefined;
    key = k;
    input = (tag as { input?: unknown }).input;
    for (const v of tag.values) if (!values.includes(v)) values.push(v);
  }
  const first = branches[0]?.find((i) => i.code === 'invalid_value');
  return first === undefined ? undefined : { path: first.path, values, input };
}

/** An unknown key that is one or two edits from a key the alternative is missing. */
function misspeltKey(branch: readonly z.core.$ZodIssue[]): { key: string; meant: string } | undefined {
  const missing = branch.flatMap((i) =>
    i.code === 'invalid_type' && i.path.length === 1 && typeof i.path[0] === 'string' ? [i.path[0]] : [],
  );
  for (const i of branch) {
    if (i.code !== 'unrecognized_keys') continue;
    for (const key of i.keys) {
      const meant = closest(key, missing);
      if (meant !== undefined) return { key, meant };
    }
  }
  return undefined;
}

/** Lower is closer: [wrong type, wrong literal or enum value, missing or unknown keys, other issues, -depth, -key likeness]. */
type Score = [number, number, number, number, number, number];

function closeness(branch: readonly z.core.$ZodIssue[], input: unknown): Score {
  let wrongType = 0;
  let wrongTag = 0;
  let keys = 0;
  let other = 0;
  let deepest = 0;
  const missing: string[] = [];
  const unknown: string[] = [];
  for (const i of branch) {
    deepest = Math.max(deepest, i.path.length);
    if (i.path.length === 0 && i.code === 'invalid_type') wrongType++;
    else if (i.code === 'invalid_value') wrongTag++;
    else if (i.code === 'unrecognized_keys') {
      keys += i.keys.length;
      unknown.push(...i.keys);
    } else if (i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined && i.path.length === 1) {
      const parent = input as Record<string, unknown> | null;
      const key = i.path[0];
      if (typeof key === 'string' && (typeof parent !== 'object' || parent === null || !(key in parent))) {
        keys++;
        missing.push(key);
      } else other++;
    } else other++;
  }
  // A misspelt key (`rol` for `role`) points at the alternative that has it.
  const likeness = unknown.filter((k) => closest(k, missing) !== undefined).length;
  return [wrongType, wrongTag, keys - likeness, other, -deepest, -likeness];
}

function compareScores(a: Score, b: Score): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** An alternative described from its issues alone (no schema given): its type, or its literal values. */
function describeFromIssues(branch: readonly z.core.$ZodIssue[]): string {
  const top = branch.find((i) => i.path.length === 0);
  if (top?.code === 'invalid_type') return article(top.expected);
  if (top?.code === 'invalid_value') return top.values.map((v) => JSON.stringify(v)).join(' | ');
  const keys = branch.flatMap((i) => (i.path.length === 1 && typeof i.path[0] === 'string' ? [i.path[0]] : []));
  return keys.length === 0 ? 'an object' : `an object with ${[...new Set(keys)].join(', ')}`;
}

/** The literal and enum values the alternatives accept for the value itself. */
function rootValues(branches: readonly (readonly z.core.$ZodIssue[])[]): unknown[] {
  return branches.flatMap((branch) =>
    branch.flatMap((i) => (i.code === 'invalid_value' && i.path.length === 0 ? i.values : [])),
  );
}
