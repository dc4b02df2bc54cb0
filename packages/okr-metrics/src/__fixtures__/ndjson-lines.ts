import fc from 'fast-check';
import { sampleRow } from './metrics.js';

/*
 * NDJSON lines for property tests of the byte scanner: mostly the ordinary shape (so the fast
 * path is exercised), with every kind of oddity the JSON.parse path must take over: escapes,
 * non-ASCII text, exotic numbers, duplicate and unknown keys, whitespace, nested dimensions,
 * wrong types, broken syntax.
 */

const TEXT_KEYS = [
  'campaignId',
  'date',
  'region',
  'locale',
  'team',
  'templateId',
  'variant',
  'platform',
  'currency',
] as const;
const NUMBER_KEYS = [
  'sent',
  'delivered',
  'hardBounces',
  'softBounces',
  'uniqueOpens',
  'totalOpens',
  'machineOpens',
  'uniqueClicks',
  'totalClicks',
  'unsubscribes',
  'complaints',
  'conversions',
  'revenue',
  'cost',
] as const;

const space = fc.constantFrom('', '', '', '', ' ', '\t', '\r', '  ', ' \r\t');

/** Values that are valid for some text field, plus near misses and hostile ones. */
const text = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      ...Object.values(sampleRow).filter((v) => typeof v === 'string'),
      'c1',
      'spring-campaign-7',
      'AMER',
      'en',
      'B',
      'eloqua',
      'USD',
      '2024-02-29',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      'eur',
      'EURO',
      '2026-02-30',
      '2026-13-01',
      '1c',
      'x'.repeat(64),
      'x'.repeat(65),
      'y'.repeat(129),
      'Grüße 👋',
      'a"b',
      'a\\b',
      'tab\there',
      '\u0000',
      'del\u007f',
      '\u2028',
      '\uFEFF',
      '__proto__',
      "'; DROP TABLE metrics; --",
      '<script>',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** A JSON string token for `value`, sometimes written with (valid) escapes the scanner leaves to JSON.parse. */
const stringToken = (value: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(value, fc.nat({ max: 9 })).map(([v, style]) => {
    if (style === 0 && v.length > 0)
      return `"\\u${v.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(v).slice(2)}`;
    if (style === 1) return JSON.stringify(v).replace(/\//g, '\\/');
    return JSON.stringify(v);
  });

const numberToken = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(fc.nat({ max: 5000 }).map(String), fc.constantFrom('0', '1', '12', '980', '1000')) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.nat({ max: 99_999 }), fc.nat({ max: 99 }))
      .map(([a, b]) => `${a}.${String(b).padStart(2, '0')}`),
  },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1e9, noNaN: true }).map((d) => JSON.stringify(d)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '-0',
      '-1',
      '1.0',
      '1.5',
      '01',
      '00',
      '1e3',
      '1E3',
      '1e-3',
      '1.',
      '.5',
      '+1',
      '9007199254740991',
      '9007199254740993',
      '123456789012345',
      '1234567890123456',
      '0.000000000000001',
      '99999999999999.9',
      '1e400',
      '0.1',
      '100.00',
      '0x10',
      'NaN',
      'Infinity',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('null', 'true', '"5"', '[]', '{}', '[1]') },
);

const key = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...TEXT_KEYS, ...NUMBER_KEYS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('dimensions', 'clicks', 'opens', 'constructor', '__proto__', 'Sent', 'sent ', ''),
  },
);

const member = key.chain((k) => {
  const value = (TEXT_KEYS as readonly string[]).includes(k)
    ? fc.oneof({ weight: 8, arbitrary: stringToken(text) }, { weight: 1, arbitrary: numberToken })
    : k === 'dimensions'
      ? fc.constantFrom('{"segment":"vip"}', '{}', '{"Segment":"x"}', 'null')
      : fc.oneof({ weight: 8, arbitrary: numberToken }, { weight: 1, arbitrary: stringToken(text) });
  const name = fc.oneof(
    { weight: 9, arbitrary: fc.constant(JSON.stringify(k)) },
    { weight: 1, arbitrary: stringToken(fc.constant(k)) },
  );
  return fc.tuple(name, space, space, value).map(([n, a, b, v]) => `${n}${a}:${b}${v}`);
});

/** An object line: usually campaignId and sent first, then any members. */
const objectLine = fc
  .tuple(
    fc.boolean(),
    fc.array(member, { maxLength: 24 }),
    fc.array(space, { minLength: 4, maxLength: 4 }),
    fc.oneof(stringToken(fc.constantFrom('c1', 'c-berlin-spring', 'spring-campaign-3')), stringToken(text)),
    fc.oneof(fc.nat({ max: 100_000 }).map(String), numberToken),
  )
  .map(([usual, members, [a, b, c, d], id, sent]) => {
    const all = usual ? [`"campaignId":${id}`, `"sent":${sent}`, ...members] : members;
    return `${a}{${b}${all.join(`${c},${d}`)}${b}}${a}`;
  });

/** A metrics row as a producer would write it (JSON.stringify of a valid row with some fields left out). */
export const ordinaryLine = fc
  .tuple(fc.subarray(Object.keys(sampleRow)), fc.nat({ max: 1_000_000 }), fc.nat({ max: 99_999 }))
  .map(([keep, sent, cents]) => {
    const row: Record<string, unknown> = { campaignId: sampleRow.campaignId };
    for (const k of keep) row[k] = sampleRow[k as keyof typeof sampleRow];
    row.sent = Math.max(sent, 1000);
    if ('revenue' in row) row.revenue = cents / 100;
    return JSON.stringify(row);
  });

/** Any line: ordinary, odd, hostile or broken. */
export const metricsLine = fc.oneof(
  { weight: 4, arbitrary: ordinaryLine },
  { weight: 6, arbitrary: objectLine },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom(
        '',
        ' ',
        '\t',
        '\r',
        '{',
        '}',
        '{}',
        '[]',
        'null',
        '{"campaignId":"c1","sent":1',
        '{"campaignId":"c1","sent":1}}',
        '{"campaignId":"c1","sent":1}x',
        '\uFEFF{"campaignId":"c1","sent":1}',
        '{"campaignId":"c1","sent":1,}',
      ),
      fc.string({ maxLength: 20 }),
    ),
  },
  // A valid line cut or with one character changed.
  {
    weight: 1,
    arbitrary: fc
      .tuple(ordinaryLine, fc.nat(), fc.string({ maxLength: 2 }))
      .map(([line, at, insert]) => line.slice(0, at % line.length) + insert + line.slice((at % line.length) + 1)),
  },
);
