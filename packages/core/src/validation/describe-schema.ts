/**
 * Short descriptions of zod schemas for error messages (`{role, region?}`, `"locked" | "editable"`),
 * read from zod 4's schema definitions (`_zod.def`). Only what messages need: no JSON Schema.
 */

/** The part of a zod 4 schema's internals these descriptions read. */
export interface SchemaNode {
  _zod: {
    def: SchemaDef;
    optin?: 'optional' | 'defaulted' | undefined;
  };
}

interface SchemaDef {
  type: string;
  innerType?: SchemaNode;
  getter?: () => SchemaNode;
  in?: SchemaNode;
  shape?: Record<string, SchemaNode>;
  catchall?: SchemaNode;
  element?: SchemaNode;
  valueType?: SchemaNode;
  options?: readonly SchemaNode[];
  values?: readonly unknown[];
  entries?: Record<string, unknown>;
  items?: readonly SchemaNode[];
  rest?: SchemaNode | null;
  left?: SchemaNode;
  right?: SchemaNode;
  format?: string;
}

const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'catch',
  'readonly',
  'nonoptional',
  'success',
]);
const MAX_KEYS = 5;

/** Follows wrappers (optional, default, lazy, the input side of a pipe) to the schema that decides the shape. */
function unwrap(node: SchemaNode): SchemaNode {
  let current = node;
  for (let guard = 0; guard < 20; guard++) {
    const def = current._zod.def;
    const next =
      def.type === 'lazy'
        ? def.getter?.()
        : def.type === 'pipe'
          ? def.in
          : WRAPPERS.has(def.type)
            ? def.innerType
            : undefined;
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

/** A union's alternatives, in order. */
export function unionOptions(node: SchemaNode): readonly SchemaNode[] | undefined {
  const def = unwrap(node)._zod.def;
  return def.type === 'union' ? def.options : undefined;
}

/** The keys an object schema declares (none for anything else). */
export function knownKeys(node: SchemaNode | undefined): string[] {
  const def = node === undefined ? undefined : unwrap(node)._zod.def;
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** The schema that validates the value at `path` below `node`, when the path leads through known shapes. */
export function schemaAt(node: SchemaNode, path: readonly PropertyKey[]): SchemaNode | undefined {
  let current: SchemaNode | undefined = node;
  for (const key of path) {
    if (current === undefined) return undefined;
    current = child(unwrap(current), key);
  }
  return current;
}

function child(node: SchemaNode, key: PropertyKey): SchemaNode | undefined {
  const def = node._zod.def;
  switch (def.type) {
    case 'object':
      return (typeof key === 'string' ? def.shape?.[key] : undefined) ?? def.catchall;
    case 'array':
      return def.element;
    case 'record':
      return def.valueType;
    case 'tuple':
      return (typeof key === 'number' ? def.items?.[key] : undefined) ?? def.rest ?? undefined;
    case 'intersection':
      return (def.left && child(unwrap(def.left), key)) ?? (def.right && child(unwrap(def.right), key));
    default:
      return undefined;
  }
}

/** `a string`, `"a" | "b"`, `{on: "at", at}`, `a list of {user}` — what a value of this schema looks like. */
export function describeSchema(node: SchemaNode, depth = 0): string {
  const inner = unwrap(node);
  const def = inner._zod.def;
  switch (def.type) {
    case 'string':
      return def.format !== undefined && def.format !== 'regex' ? `a ${def.format} string` : 'a string';
    case 'number':
      return def.format === 'safeint' || def.format === 'int32' ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    case 'undefined':
      return 'nothing';
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' | ');
    case 'enum':
      return Object.values(def.entries ?? {})
        .map((v) => JSON.stringify(v))
        .join(' | ');
    case 'object':
      return depth > 0 ? 'an object' : describeObject(def.shape ?? {});
    case 'array':
      return depth > 0 || def.element === undefined ? 'a list' : `a list of ${describeSchema(def.element, depth + 1)}`;
    case 'record':
      return 'an object';
    case 'union':
      return (def.options ?? []).map((o) => describeSchema(o, depth + 1)).join(' | ');
    default:
      return /^[aeiou]/.test(def.type) ? `an ${def.type}` : `a ${def.type}`;
  }
}

function describeObject(shape: Record<string, SchemaNode>): string {
  const keys = Object.entries(shape).map(([key, value]) => {
    const optional = value._zod.optin !== undefined ? '?' : '';
    const fixed = unwrap(value)._zod.def;
    // A key with a few fixed values is what tells alternatives apart: show them.
    const fixedValues =
      fixed.type === 'literal' ? (fixed.values ?? []) : fixed.type === 'enum' ? Object.values(fixed.entries ?? {}) : [];
    return fixedValues.length === 0 || fixedValues.length > 3
      ? `${key}${optional}`
      : `${key}${optional}: ${fixedValues.map((v) => JSON.stringify(v)).join(' | ')}`;
  });
  const shown = keys.length > MAX_KEYS ? [...keys.slice(0, MAX_KEYS), '…'] : keys;
  return `{${shown.join(', ')}}`;
}

/**
 * The candidate a string was most likely meant to be (one edit away for words of up to four
 * characters, two for longer ones), or undefined.
 */
export function closest(word: string, candidates: Iterable<unknown>): string | undefined {
  // A suggestion is for a misspelt word: a long input is not one, and comparing it would cost its length per candidate.
  if (typeof word !== 'string' || word.length > MAX_SUGGESTED) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = word.length <= 4 ? 1 : 2;
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || candidate === word) continue;
    const d = distance(word.toLowerCase(), candidate.toLowerCase(), limit);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** The longest input that gets a did-you-mean. */
const MAX_SUGGESTED = 64;

/** Levenshtein distance, giving up (returning limit + 1) once it is over `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
