import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBodyText, jsonDepth, jsonHasNul } from './guards.js';

/** Whether a parsed JSON value holds U+0000 in any string or key. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  return false;
}

describe('jsonHasNul', () => {
  it('finds U+0000 exactly when a string or key of the JSON holds it (never a literal backslash-u0000)', () => {
    const tricky = fc.constantFrom('\u0000', '\\u0000', '\\\\u0000', 'a\\', '\\', 'u0000', '"', '\u0001');
    const text = fc.array(fc.oneof(fc.string(), tricky), { maxLength: 4 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), text, fc.boolean(), (base, s, asKey) => {
        const value = asKey ? { [s]: base } : [base, s];
        const json = JSON.stringify(value);
        expect(jsonHasNul(json)).toBe(containsNul(value));
      }),
      { numRuns: 2000 },
    );
  });
});

/** The nesting depth of a parsed JSON value (a scalar is 0). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

describe('jsonDepth', () => {
  // Strings full of what a depth scan must not count: brackets, quotes and backslashes.
  const tricky = fc
    .array(fc.constantFrom('"', '\\', '\\"', '{', '[', '}', ']', '\\\\', 'a'), { maxLength: 12 })
    .map((parts) => parts.join(''));
  const value = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.oneof(tricky, fc.integer(), fc.constant(null)),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(tricky, tie('node'), { maxKeys: 3 }),
    ),
  })).node;

  it('is the nesting depth of any JSON text, whatever its strings hold', () => {
    fc.assert(
      fc.property(value, fc.nat({ max: 4 }), (v, indent) => {
        expect(jsonDepth(JSON.stringify(v, null, indent))).toBe(depthOf(v));
      }),
      { numRuns: 3000 },
    );
  });

  it('stops once past the limit, and never counts inside an unterminated string', () => {
    expect(jsonDepth('[[[[[[', 3)).toBe(4);
    expect(jsonDepth('{"a":"[[[[')).toBe(1);
    expect(jsonDepth('["\\\\",[["\\"]]]')).toBe(3);
    expect(jsonDepth('["\\"[[[]]]"]')).toBe(1);
  });
});

/** What parsing a body's text gives: the value, or that it is not JSON. */
function parsed(text: string): { value: unknown } | 'invalid' {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return 'invalid';
  }
}

describe('jsonBodyText', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const decoded = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  it('parses to what the decoded body parses to, or fails where it fails (escapes, BOMs, bad UTF-8)', () => {
    // The characters that matter (fast-check's 'binary' unit takes seconds to set up): ASCII, escapes,
    // two-, three- and four-byte UTF-8, a lone surrogate, U+FEFF (a BOM only at the start), NUL.
    const unit = fc.constantFrom('a', ' ', '\\', '"', 'é', '“', '·', '😀', '\uD800', '\uFEFF', '\u0000', '{', ']', ',');
    const json = fc.jsonValue({ maxDepth: 2, stringUnit: unit }).map((value) => JSON.stringify(value));
    const text = fc.array(fc.oneof(json, fc.string({ unit, maxLength: 5 })), { maxLength: 6 }).map((p) => p.join(''));
    const body = fc.oneof(
      text.map(utf8),
      fc.tuple(fc.boolean(), json).map(([bom, j]) => utf8(`${bom ? '\uFEFF' : ''}${j}`)),
      fc.uint8Array({ maxLength: 40 }).map((b) => new Uint8Array([0xef, 0xbb, 0xbf, ...b])),
      // String literals written by hand: a backslash may escape a non-ASCII character (invalid JSON).
      fc.string({ unit: fc.constantFrom('a', '\\', 'é', '“', '😀'), maxLength: 6 }).map((s) => utf8(`["${s}"]`)),
      // Bad UTF-8 inside a string: both decoders must put the same replacement characters there.
      fc
        .uint8Array({ min: 0x80, max: 0xff, maxLength: 8 })
        .map((b) => new Uint8Array([...utf8('{"a":"x'), ...b, ...utf8('y\\"'), ...b, ...utf8('"}')])),
    );
    fc.assert(
      fc.property(body, (b) => {
        // Trailing spaces: mostly ASCII, as bodies are where the escapes pay (else it decodes plainly).
        const bytes = new Uint8Array([...b, ...utf8(' '.repeat(400))]);
        expect(parsed(jsonBodyText(bytes))).toEqual(parsed(decoded(bytes)));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps an email with a few curly quotes a one-byte string, and a mostly non-ASCII text as decoded', () => {
    const email = { html: `<p>“Spring” · ${'x'.repeat(70_000)}</p>` };
    const text = jsonBodyText(utf8(JSON.stringify(email)));
    expect(/[^ -~]/.test(text)).toBe(false); // printable ASCII only
    expect(JSON.parse(text)).toEqual(email);
    const japanese = JSON.stringify({ text: '春の新作コレクション'.repeat(100) });
    expect(jsonBodyText(utf8(japanese))).toBe(japanese);
    // A backslash before a non-ASCII character escapes it (invalid JSON), which `\\u201c` would make valid.
    const x = 'x'.repeat(20);
    expect(parsed(jsonBodyText(utf8(`{"a":"\\“${x}"}`)))).toBe('invalid');
    expect(JSON.parse(jsonBodyText(utf8(`{"a":"\\\\“${x}"}`)))).toEqual({ a: `\\“${x}` });
    const padded = `{"a":"é","b":"${x}"}`;
    expect(jsonBodyText(utf8(`\uFEFF${padded}`))).toBe(padded.replace('é', '\\u00e9'));
  });
});
