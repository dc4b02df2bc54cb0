import { HubspokeError, isHubspokeError } from '../errors/hubspoke-error.js';
import { describeValue } from './format-issues.js';

/**
 * What an argument must be, checked in O(1) before a function does anything proportional to it:
 * `string`, `number`, `boolean`, `function`, `object` (a non-null, non-array object), `array`,
 * `iterable`, `value` (anything but null and undefined) or `any`, with `?` for one that may be `undefined`.
 */
export type ArgKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'function'
  | 'object'
  | 'array'
  | 'iterable'
  | 'any'
  | 'value'
  | 'string?'
  | 'number?'
  | 'boolean?'
  | 'function?'
  | 'object?'
  | 'array?'
  | 'iterable?';

/** `name:kind`, e.g. `options:object?`. */
export type ArgSpec = `${string}:${ArgKind}`;

function fits(value: unknown, kind: string): boolean {
  switch (kind) {
    case 'any':
      return true;
    case 'value':
      return value !== null && value !== undefined;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'iterable':
      return (
        typeof value === 'object' &&
        value !== null &&
        typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
      );
    case 'number':
      return typeof value === 'number' && !Number.isNaN(value);
    default:
      return typeof value === kind;
  }
}

function article(kind: string): string {
  if (kind === 'value') return 'a value';
  return kind === 'object' || kind === 'array' || kind === 'iterable' ? `an ${kind}` : `a ${kind}`;
}

/**
 * Checks arguments against their specs in O(1) each (a 10 MB string given for an object is
 * refused without reading it) and throws `E_VALIDATION` naming the first one that does not fit.
 */
export function checkArgs(fn: string, specs: readonly ArgSpec[], args: ArrayLike<unknown>): void {
  const given: unknown = args;
  if (typeof given !== 'object' || given === null)
    throw new HubspokeError('E_VALIDATION', 'Invalid args: checkArgs expected the arguments', { path: 'args' });
  check(typeof fn === 'string' ? fn : 'a function', parseSpecs(specs), args);
}

const KINDS = new Set(['string', 'number', 'boolean', 'function', 'object', 'array', 'iterable', 'any', 'value']);

function parseSpecs(specs: unknown): Parsed[] {
  if (!Array.isArray(specs) || specs.length > 16)
    throw new HubspokeError('E_VALIDATION', 'Invalid specs: expected at most 16 "name:kind" strings', {
      path: 'specs',
    });
  return specs.map((spec: unknown, i) => {
    const parsed = typeof spec === 'string' && spec.length <= 200 ? parseSpec(spec as ArgSpec) : undefined;
    if (parsed === undefined || !KINDS.has(parsed.kind))
      throw new HubspokeError('E_VALIDATION', `Invalid specs[${i}]: expected "name:kind" with a known kind`, {
        path: `specs[${i}]`,
      });
    return parsed;
  });
}

interface Parsed {
  label: string;
  kind: string;
  optional: boolean;
}

function parseSpec(spec: ArgSpec): Parsed {
  const colon = spec.lastIndexOf(':');
  const kind = spec.slice(colon + 1);
  const optional = kind.endsWith('?');
  return { label: spec.slice(0, colon), kind: optional ? kind.slice(0, -1) : kind, optional };
}

function check(fn: string, specs: readonly Parsed[], args: ArrayLike<unknown>): void {
  for (const [i, { label, kind, optional }] of specs.entries()) {
    const value = args[i];
    if ((optional && value === undefined) || fits(value, kind)) continue;
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid ${label}: ${fn} expected ${article(kind)}, got ${describeValue(value)}`,
      { path: label, details: { function: fn, argument: i, expected: kind } },
    );
  }
}

/** Anything thrown, as a HubspokeError: ours unchanged, anything else `E_INTERNAL` with it as the cause. */
function internal(fn: string, error: unknown): HubspokeError {
  if (isHubspokeError(error)) return error;
  let text: string;
  try {
    text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    text = `a thrown ${typeof error}`;
  }
  return new HubspokeError('E_INTERNAL', `${fn} failed unexpectedly (a bug in Hubspoke: please report it): ${text}`, {
    cause: error,
  });
}

/** Longest id, key, name or reference a bounded argument may be: a 10 MB one is refused before any work. */
export const MAX_NAME_LENGTH = 4_096;

export interface GuardOptions {
  /**
   * Refuse string arguments (ids, keys, paths, references) over {@link MAX_NAME_LENGTH} characters
   * before any work, except those named in `content` (MJML, text: data that may be long).
   */
  boundNames?: boolean;
  content?: readonly string[];
}

/** The labels of the string arguments to bound, by position (`undefined`: not bounded). */
function boundedLabels(specs: readonly Parsed[], options: GuardOptions): (string | undefined)[] {
  const content: readonly unknown[] = Array.isArray(options.content) ? options.content : [];
  return specs.map(({ label, kind }) =>
    options.boundNames === true && kind === 'string' && !content.includes(label) ? label : undefined,
  );
}

function checkLengths(fn: string, labels: readonly (string | undefined)[], args: ArrayLike<unknown>): void {
  for (const [i, label] of labels.entries()) {
    const value = args[i];
    if (label === undefined || typeof value !== 'string' || value.length <= MAX_NAME_LENGTH) continue;
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid ${label}: ${fn} expected at most ${MAX_NAME_LENGTH} characters, got ${value.length}`,
      { path: label, details: { function: fn, argument: i, limit: MAX_NAME_LENGTH } },
    );
  }
}

/**
 * The public face of a function: its arguments checked by {@link checkArgs} first (and, with
 * `boundNames`, its string arguments bounded), and any raw error it still throws (or rejects with)
 * wrapped as `E_INTERNAL` with the original as the cause, so only HubspokeErrors leave a package.
 * The function itself is unchanged for internal callers.
 */
export function guarded<F extends (...args: never[]) => unknown>(
  fn: string,
  specs: readonly ArgSpec[],
  impl: F,
  options: GuardOptions = {},
): F {
  const given: unknown = options;
  if (typeof fn !== 'string' || typeof impl !== 'function' || typeof given !== 'object' || given === null)
    throw new HubspokeError('E_VALIDATION', 'Invalid guarded: expected a name, argument specs and a function', {
      path: 'impl',
    });
  const parsed = parseSpecs(specs);
  const labels = boundedLabels(parsed, options);
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    check(fn, parsed, args);
    checkLengths(fn, labels, args);
    let result: unknown;
    try {
      result = (impl as unknown as (...a: unknown[]) => unknown).apply(this, args);
    } catch (error) {
      throw internal(fn, error);
    }
    if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(internal(fn, error)));
    return result;
  };
  Object.defineProperty(wrapper, 'name', { value: fn });
  Object.defineProperty(wrapper, 'length', { value: impl.length });
  return wrapper as unknown as F;
}

/**
 * Wraps each named method of `prototype` with core's `guarded` (arguments checked first, a raw
 * error still thrown becomes `E_INTERNAL` with the cause) and bounds its string arguments, so an
 * exported class throws only HubspokeErrors whatever a caller passes. Arguments named in `content`
 * (MJML, text) are data, not names, and may be long. A method returns a promise, so it refuses by
 * rejecting, unless it is named in `sync`.
 */
export function guardMethods(
  label: string,
  prototype: object,
  table: Readonly<Record<string, readonly ArgSpec[]>>,
  options: { content?: readonly string[]; sync?: readonly string[] } = {},
): void {
  checkArgs(
    'guardMethods',
    ['label:string', 'prototype:object', 'table:object', 'options:object?'],
    [label, prototype, table, options],
  );
  const sync: readonly unknown[] = Array.isArray(options.sync) ? options.sync : [];
  const methods = prototype as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, specs] of Object.entries(table)) {
    const impl = methods[name];
    if (typeof impl !== 'function') throw new HubspokeError('E_INTERNAL', `${label}.${name}: no such method to guard`);
    const fn = `${label}.${name}`;
    const checked = guarded(fn, specs, impl, { boundNames: true, content: options.content ?? [] });
    const bounded = sync.includes(name)
      ? checked
      : function (this: unknown, ...args: unknown[]): unknown {
          try {
            return checked.apply(this, args);
          } catch (error) {
            return Promise.reject(error instanceof HubspokeError ? error : internal(fn, error));
          }
        };
    Object.defineProperty(bounded, 'name', { value: name });
    Object.defineProperty(bounded, 'length', { value: impl.length });
    methods[name] = bounded;
  }
}
