import { isHubspokeError } from '../errors/hubspoke-error.js';

/**
 * The hostile-input suite every package runs over its own exports: each exported function and
 * class is called with `null`, `undefined`, wrong types, cyclic, deep and huge values, and must
 * return a value or throw (or reject with) a `HubspokeError`: never a raw `TypeError`,
 * `RangeError`, `SyntaxError` or `ZodError`. The values are plain data; a test picks
 * argument lists from them (with fast-check) and calls {@link probeExport}.
 */

/** One hostile value with a short label for failure reports. */
export interface HostileValue {
  label: string;
  value: unknown;
}

/** Characters in the huge string (10 MB): enough to show any work proportional to the input. */
export const HUGE_LENGTH = 10 * 1024 * 1024;
/** Nesting of the deep values: beyond any recursion a JavaScript stack allows. */
export const DEEP_LEVELS = 10_000;

/** An array nested `levels` deep: `[[[…]]]`. */
export function deepArray(levels: number = DEEP_LEVELS): unknown[] {
  let value: unknown[] = [];
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

/** An object nested `levels` deep through every common key name (`{ a: { a: … } }` style). */
export function deepObject(levels: number = DEEP_LEVELS, key = 'value'): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) value = { [key]: value };
  return value;
}

let huge: string | undefined;
/** A 10 MB string (built once). */
export function hugeString(): string {
  huge ??= 'x'.repeat(HUGE_LENGTH);
  return huge;
}

/**
 * The hostile values: fresh objects on each call, so a function that mutates its input cannot
 * change what the next call sees.
 */
export function hostileValues(): HostileValue[] {
  const cyclic: Record<string, unknown> = { id: 'cyclic', name: 'cyclic' };
  cyclic.self = cyclic;
  cyclic.items = [cyclic];
  const cyclicArray: unknown[] = [];
  cyclicArray.push(cyclicArray);
  return [
    { label: 'null', value: null },
    { label: 'undefined', value: undefined },
    { label: '0', value: 0 },
    { label: '-1', value: -1 },
    { label: 'NaN', value: Number.NaN },
    { label: 'Infinity', value: Number.POSITIVE_INFINITY },
    { label: '1e300', value: 1e300 },
    { label: 'true', value: true },
    { label: "''", value: '' },
    { label: "'\\u0000<{%'", value: '\u0000<{%' },
    { label: '10 MB string', value: hugeString() },
    { label: 'symbol', value: Symbol('hostile') },
    { label: 'bigint', value: 10n },
    { label: 'function', value: () => undefined },
    { label: '[]', value: [] },
    { label: '{}', value: {} },
    { label: '[null]', value: [null] },
    { label: '{ __proto__ }', value: JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{}}}') },
    { label: 'cyclic object', value: cyclic },
    { label: 'cyclic array', value: cyclicArray },
    { label: '10,000-level array', value: deepArray() },
    { label: '10,000-level object', value: deepObject() },
    { label: 'invalid Date', value: new Date(Number.NaN) },
    { label: 'Map', value: new Map([['a', 1]]) },
  ];
}

/** What one call did. */
export type ProbeOutcome =
  { kind: 'value' } | { kind: 'hubspoke'; code: string } | { kind: 'raw'; error: unknown } | { kind: 'pending' };

/** A class (called with `new`) rather than a function: an ES class whose source says so. */
export function isClass(value: unknown): value is new (...args: unknown[]) => unknown {
  if (typeof value !== 'function') return false;
  try {
    return /^class[\s{]/.test(Function.prototype.toString.call(value));
  } catch {
    return false;
  }
}

/**
 * The callable exports of a module (functions and classes) by name, with the static methods of
 * each exported class as `Class.method` (bound to the class: `HubStore.open`), sorted.
 */
export function callableExports(
  module: Record<string, unknown>,
): { name: string; value: (...args: unknown[]) => unknown }[] {
  const found: { name: string; value: (...args: unknown[]) => unknown }[] = [];
  for (const name of Object.keys(module)) {
    const value = module[name];
    if (typeof value !== 'function') continue;
    found.push({ name, value: value as (...args: unknown[]) => unknown });
    if (!isClass(value)) continue;
    for (const key of Object.getOwnPropertyNames(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || typeof descriptor.value !== 'function') continue;
      found.push({ name: `${name}.${key}`, value: (descriptor.value as (...a: unknown[]) => unknown).bind(value) });
    }
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const PENDING = Symbol('pending');

/**
 * Calls `fn` (with `new` for a class) and classifies what happened. A promise is awaited for at
 * most `waitMs`; one still pending then is `pending` (not a failure: it did not escape raw).
 */
export async function probeExport(fn: unknown, args: readonly unknown[], waitMs = 2_000): Promise<ProbeOutcome> {
  const classify = (error: unknown): ProbeOutcome =>
    isHubspokeError(error) ? { kind: 'hubspoke', code: error.code } : { kind: 'raw', error };
  let result: unknown;
  try {
    result = isClass(fn) ? new fn(...args) : (fn as (...a: unknown[]) => unknown)(...args);
  } catch (error) {
    return classify(error);
  }
  if (typeof (result as { then?: unknown } | null)?.then !== 'function') return { kind: 'value' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const settled = await Promise.race([
      Promise.resolve(result),
      new Promise<typeof PENDING>((resolve) => {
        timer = setTimeout(() => {
          resolve(PENDING);
        }, waitMs);
        (timer as { unref?: () => void }).unref?.();
      }),
    ]);
    return settled === PENDING ? { kind: 'pending' } : { kind: 'value' };
  } catch (error) {
    return classify(error);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** One raw error that escaped, for the failure list. */
export interface EscapedError {
  name: string;
  args: string;
  error: string;
}

/** `TypeError: message` (first line, clipped) of anything thrown. */
export function describeThrown(error: unknown): string {
  try {
    const text =
      error instanceof Error
        ? `${error.constructor.name}: ${error.message}`
        : `non-error ${typeof error}: ${String(error)}`;
    const line = text.split('\n')[0] ?? text;
    return line.length > 200 ? `${line.slice(0, 200)}…` : line;
  } catch {
    return 'an unprintable thrown value';
  }
}

/**
 * Runs `fn` and reports how long it took in milliseconds (the value or error is discarded).
 * Used to compare a hostile call against a small baseline call of the same function.
 */
export async function elapsedMs(fn: () => unknown): Promise<number> {
  const start = performance.now();
  try {
    await fn();
  } catch {
    // the time is what is measured
  }
  return performance.now() - start;
}

/** At most this many argument positions are probed one by one (the random runs reach one more). */
export const MAX_PROBED_POSITIONS = 5;

/**
 * How many argument positions the deterministic probe reaches for `fn`: its declared parameters
 * plus one, at least two and at most {@link MAX_PROBED_POSITIONS}. `fn.length` stops at the first
 * parameter with a default value or a rest parameter (`(sql, options = {})` has length 1), so
 * without the extra position such a parameter was reached only by the random runs.
 */
export function probedPositions(fn: { length: number }): number {
  const declared = Number.isSafeInteger(fn.length) && fn.length > 0 ? fn.length : 0;
  return Math.min(Math.max(declared + 1, 2), MAX_PROBED_POSITIONS);
}

/**
 * The argument lists the deterministic probe calls an export with: each hostile value in each of
 * the first `positions` positions. The positions before it hold `{}` (an object that gets past a
 * check of the arguments before it, so the hostile value is what the function meets) and, for a
 * position among the `declared` parameters, also `undefined` (the caller left them out).
 */
export function deterministicArgLists(positions: number, declared = 0): { args: unknown[]; labels: string[] }[] {
  const lists: { args: unknown[]; labels: string[] }[] = [];
  for (let position = 0; position < positions; position++) {
    const fillers: ('undefined' | '{}')[] = [];
    if (position === 0 || position < declared) fillers.push('undefined');
    if (position > 0) fillers.push('{}');
    for (const filler of fillers) {
      for (const hostile of hostileValues()) {
        const args: unknown[] = Array.from({ length: position + 1 }, () => (filler === '{}' ? {} : undefined));
        args[position] = hostile.value;
        lists.push({ args, labels: args.map((_, p) => (p === position ? hostile.label : filler)) });
      }
    }
  }
  return lists;
}

/**
 * The methods of an object as a module of functions named `label.method` (bound to the object):
 * its own function-valued properties and those of its prototypes up to `Object.prototype`
 * (a class instance's methods), except `constructor` and accessors (a getter is not called).
 * Each keeps its `length`, so {@link hostileExportFailures} probes its parameters as it does an
 * export's. Pass the result (or several merged) to `hostileExportFailures`, so the objects a
 * factory or `open()` returns (stores, clients, connectors) are covered method by method.
 */
export function methodsOf(label: string, object: object): Record<string, (...args: unknown[]) => unknown> {
  const methods: Record<string, (...args: unknown[]) => unknown> = {};
  for (
    let o: object | null = object;
    o !== null && o !== Object.prototype;
    o = Object.getPrototypeOf(o) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key === 'constructor' || Object.hasOwn(methods, `${label}.${key}`)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(o, key);
      if (descriptor === undefined || typeof descriptor.value !== 'function') continue;
      const method = descriptor.value as (...args: unknown[]) => unknown;
      methods[`${label}.${key}`] = method.bind(object);
    }
  }
  return methods;
}

/** The few fast-check combinators the suite uses (fast-check is the caller's dependency, not core's). */
interface Arbitrary<T> {
  map<U>(f: (value: T) => U): Arbitrary<U>;
}
interface FastCheckLike {
  assert(property: unknown, parameters?: { numRuns?: number; seed?: number }): Promise<void>;
  asyncProperty<T>(arbitrary: Arbitrary<T>, predicate: (value: T) => Promise<boolean>): unknown;
  array<T>(arbitrary: Arbitrary<T>, constraints?: { maxLength?: number }): Arbitrary<T[]>;
  oneof(...arbitraries: Arbitrary<unknown>[]): Arbitrary<unknown>;
  integer(constraints: { min: number; max: number }): Arbitrary<number>;
  anything(): Arbitrary<unknown>;
}

export interface HostileSuiteOptions {
  /** Exports left out, each with the reason (e.g. "a test helper that throws by design"). */
  skip?: Readonly<Record<string, string>>;
  /** Random argument lists per export, on top of every hostile value in every position. Default 15. */
  numRuns?: number;
  /** How long a returned promise may stay pending before the call is counted as not escaping. Default 1000 ms. */
  waitMs?: number;
  /** Told each export's name and the milliseconds its calls took (to find a slow one). */
  onExport?: (name: string, ms: number) => void;
}

/**
 * Calls every function and class a module exports (and each class's static methods) with hostile
 * arguments: each hostile value in each parameter position and one beyond the declared ones
 * ({@link deterministicArgLists}, {@link probedPositions}), then `numRuns` random lists (hostile values mixed with fast-check's
 * `anything()`). Returns every raw error that escaped (one per export and error text) and the
 * names covered; an empty failure list is the property.
 */
export async function hostileExportFailures(
  fc: unknown,
  module: Record<string, unknown>,
  options: HostileSuiteOptions = {},
): Promise<{ covered: string[]; failures: EscapedError[] }> {
  const check = fc as FastCheckLike;
  const skip = options.skip ?? {};
  const numRuns = options.numRuns ?? 15;
  const waitMs = options.waitMs ?? 1_000;
  const failures = new Map<string, EscapedError>();
  const covered: string[] = [];
  const count = hostileValues().length;
  const record = (name: string, labels: string[], outcome: ProbeOutcome) => {
    if (outcome.kind !== 'raw') return;
    const error = describeThrown(outcome.error);
    const key = `${name} ${error}`;
    if (!failures.has(key)) failures.set(key, { name, args: `(${labels.join(', ')})`, error });
  };
  for (const { name, value: fn } of callableExports(module)) {
    if (Object.hasOwn(skip, name)) continue;
    covered.push(name);
    const started = performance.now();
    const arity = probedPositions(fn);
    for (const { args, labels } of deterministicArgLists(arity, fn.length))
      record(name, labels, await probeExport(fn, args, waitMs));
    const pick = check.oneof(
      check.integer({ min: 0, max: count - 1 }).map((i) => ({ hostile: i })),
      check.anything().map((value) => ({ value })),
    );
    await check.assert(
      check.asyncProperty(check.array(pick, { maxLength: arity + 1 }), async (picks) => {
        const values = hostileValues();
        const args = picks.map((p) => {
          const chosen = p as { hostile?: number; value?: unknown };
          return chosen.hostile === undefined ? chosen.value : values[chosen.hostile]?.value;
        });
        const labels = picks.map((p) => {
          const chosen = p as { hostile?: number; value?: unknown };
          return chosen.hostile === undefined ? 'anything()' : (values[chosen.hostile]?.label ?? '?');
        });
        record(name, labels, await probeExport(fn, args, waitMs));
        return true;
      }),
      { numRuns },
    );
    options.onExport?.(name, performance.now() - started);
  }
  return { covered, failures: [...failures.values()] };
}

/**
 * The shortest of `runs` timings of `fn` (default 3): a refusal's cost without the garbage
 * collector's or a busy machine's pauses, for comparing against a baseline call.
 */
export async function fastestMs(fn: () => unknown, runs = 3): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) best = Math.min(best, await elapsedMs(fn));
  return best;
}

/**
 * The calls of a module's exports that take long to refuse a 10 MB string or a 10,000-level value
 * in any one argument position, as "name #position label: N ms" (empty when every refusal is at once).
 * A call under 100 ms passes; a slower one passes only within 50× a small call of the same export in
 * the same position, timed then (a busy machine slows every call alike). `skip` leaves out exports
 * whose work is proportional to their input by design (hashing it, say), each with the reason.
 */
export async function slowHostileRefusals(
  module: Record<string, unknown>,
  options: { skip?: Readonly<Record<string, string>> } = {},
): Promise<string[]> {
  const slow: string[] = [];
  const inputs = [
    { label: '10 MB string', value: hugeString(), small: 'x' as unknown },
    { label: '10,000 levels', value: deepObject() as unknown, small: {} as unknown },
  ];
  for (const { name, value: fn } of callableExports(module)) {
    if (options.skip !== undefined && Object.hasOwn(options.skip, name)) continue;
    for (let position = 0; position < probedPositions(fn); position++) {
      for (const input of inputs) {
        const args: unknown[] = Array.from({ length: position + 1 }, () => undefined);
        args[position] = input.value;
        const ms = await fastestMs(() => probeExport(fn, args));
        if (ms < 100) continue;
        const small = [...args];
        small[position] = input.small;
        const baseline = await fastestMs(() => probeExport(fn, small));
        if (ms >= 100 + 50 * baseline) slow.push(`${name} #${position} ${input.label}: ${ms.toFixed(0)} ms`);
      }
    }
  }
  return slow;
}
