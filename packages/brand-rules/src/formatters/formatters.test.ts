import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Location } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { draftWith, kit, renderedEmail, template } from '../__fixtures__/email.js';
import { createLinter } from '../engine/linter.js';
import { codeFrame, format, formatCompact, formatJson, formatSarif, formatStylish } from './formatters.js';

const NOW = '2026-06-01';
const linter = createLinter({
  brandKit: kit,
  template,
  config: {
    extends: ['hubspoke/recommended'],
    dataRules: {
      'acme/exclaim': { kind: 'occurrence', message: '%s exclamation marks', token: '!', max: 0, scope: 'subject' },
    },
  },
});
const rendered = renderedEmail({
  slots: [
    {
      instanceId: 'hero-1',
      slotId: 'copy',
      html: '\n<!-- hubspoke-disable-next-line brand/preferred-term -- legal approved the wording, LEG-42 -->\n<p>Login for cheap tulips</p>\n<p style="color:#999999">Please login <a href="http://acme.example/shop">here</a></p>',
    },
  ],
});
const draft = draftWith((en) => {
  en.subject = 'Cheap tulips!';
});
const results = [
  linter.lint({ rendered, file: 'out/spring-sale.en.html', now: NOW }),
  linter.lint({ draft, now: NOW }),
];

describe('stylish', () => {
  it('groups by file and locale, shows a code frame, and sums up', () => {
    const out = formatStylish(results);
    expect(out).toContain('out/spring-sale.en.html (en)\n');
    expect(out).toContain('spring-sale (en)\n');
    expect(out).toMatch(
      /\n {2}hero-1 › copy {2}3:14 +error +"cheap" is a banned term: we are affordable, not cheap {2}brand\/banned-term\n/,
    );
    expect(out).toContain('    > 3 | <p>Login for cheap tulips</p>\n');
    expect(out).toContain('        |              ^^^^^\n');
    expect(out).toMatch(/✖ \d+ problems \(\d+ errors?, \d+ warnings?, \d+ suggestions?\)/);
    expect(out).toContain('fixable with --fix');
    expect(out).toContain('1 suppressed inline (with reasons)');
  });
  it('says so when all is clean', () => {
    expect(formatStylish({ diagnostics: [] })).toBe('✔ 0 problems (0 errors, 0 warnings, 0 suggestions)\n');
  });
  it('windows long minified lines in code frames', () => {
    const line = `${'x'.repeat(500)}cheap${'y'.repeat(500)}`;
    const frame = codeFrame(line, { line: 1, column: 501, endLine: 1, endColumn: 506 }, 10);
    expect(frame).toBe('    > 1 | …xxxxxxxxxxcheapyyyyyyyyyy…\n        |            ^^^^^');
    expect(codeFrame('abc', {})).toBeUndefined();
  });
});

describe('compact and json', () => {
  it('prints one line per finding', () => {
    const lines = formatCompact(results).trim().split('\n');
    expect(
      lines.some((l) =>
        /^out\/spring-sale\.en\.html \(en\): line 3, col 14 \[hero-1 › copy\], Error - "cheap" is a banned term: we are affordable, not cheap \(brand\/banned-term\)$/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(lines).toContain('spring-sale (en): line 1, col 1 [subject], Warning - 1 exclamation marks (acme/exclaim)');
    expect(lines[lines.length - 1]).toMatch(/^\d+ problems? \(\d+ errors?, \d+ warnings?, \d+ suggestions?\)$/);
    expect(formatCompact({ diagnostics: [results[0]!.diagnostics[0]!] })).toMatch(
      /\n1 problem \(1 error, 0 warnings, 0 suggestions\)\n$/,
    );
  });
  it('json round-trips the diagnostics and counts', () => {
    const parsed = JSON.parse(formatJson(results)) as {
      diagnostics: unknown[];
      counts: { error: number };
      failed: boolean;
      suppressed: unknown[];
    }[];
    expect(parsed).toHaveLength(2);
    expect(JSON.parse(formatJson({ ...results[0]!, draft: { id: 'd', file: 'drafts/d.json' } }))[0]).toMatchObject({
      draft: { id: 'd', file: 'drafts/d.json' },
    });
    expect(parsed[0]?.diagnostics).toEqual(JSON.parse(JSON.stringify(results[0]?.diagnostics)));
    expect(parsed[0]?.failed).toBe(true);
    expect(parsed[0]?.suppressed).toHaveLength(1);
  });
});

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations: { physicalLocation: { region?: unknown }; logicalLocations: { fullyQualifiedName: string }[] }[];
  fixes?: unknown[];
  suppressions?: unknown[];
}
interface SarifLog {
  runs: { tool: { driver: { rules: { id: string }[] } }; results: SarifResult[] }[];
}

describe('sarif', () => {
  const require = createRequire(import.meta.url);
  const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  // The schema's own patterns predate the `u` flag; its formats (uri, date-time) are checked.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

  it('validates against the SARIF 2.1.0 JSON schema', () => {
    const log = JSON.parse(formatSarif(results, { rules: linter.rules })) as unknown;
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('carries rules, levels, regions, logical locations, fixes and in-source suppressions', () => {
    const log = JSON.parse(formatSarif(results, { rules: linter.rules })) as SarifLog;
    const run = log.runs[0];
    expect(run?.tool.driver.rules.map((r) => r.id)).toContain('acme/exclaim');
    const banned = run?.results.find(
      (r) => r.ruleId === 'brand/banned-term' && r.locations[0]?.physicalLocation.region !== undefined,
    );
    expect(banned?.level).toBe('error');
    expect(banned?.locations[0]?.physicalLocation).toMatchObject({
      artifactLocation: { uri: 'out/spring-sale.en.html' },
      region: { startLine: 3, startColumn: 14 },
    });
    expect(banned?.locations[0]?.logicalLocations[0]?.fullyQualifiedName).toBe('en/hero-1/copy');
    expect(run?.results.some((r) => r.level === 'note' || r.level === 'warning')).toBe(true);
    expect(run?.results.some((r) => Array.isArray(r.fixes))).toBe(true);
    const suppressed = run?.results.find((r) => r.suppressions);
    expect(suppressed?.suppressions).toEqual([
      { kind: 'inSource', justification: 'legal approved the wording, LEG-42' },
    ]);
    expect(run?.results.every((r) => run.tool.driver.rules[r.ruleIndex]?.id === r.ruleId)).toBe(true);
  });

  it('validates even for an empty run and plain diagnostics without lines', () => {
    expect(validate(JSON.parse(formatSarif({ diagnostics: [] })))).toBe(true);
    expect(
      validate(
        JSON.parse(
          formatSarif({ diagnostics: [{ ruleId: 'x/y', severity: 'suggestion', message: 'm', location: {} }] }),
        ),
      ),
    ).toBe(true);
  });
});

describe('sarif for GitHub code scanning', () => {
  const require = createRequire(import.meta.url);
  const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  // A draft file where the subject sits on line 7, column 15 of its JSON text.
  const located = {
    ...linter.lint({ draft, now: NOW }),
    draft: { id: 'spring-sale', file: 'hub/drafts/spring-sale.json' },
    locate: (l: Location) =>
      l.field === 'subject'
        ? { uri: 'hub/drafts/spring-sale.json', startLine: 7, startColumn: 15 + (l.start ?? 0), json: true }
        : undefined,
  };
  interface Log {
    runs: {
      tool: { driver: { rules: { id: string; helpUri?: string; fullDescription?: { text: string } }[] } };
      originalUriBaseIds?: Record<string, unknown>;
      results: {
        ruleId: string;
        message: { text: string };
        partialFingerprints?: Record<string, string>;
        properties?: Record<string, unknown>;
        locations: {
          physicalLocation: {
            artifactLocation: { uri: string; uriBaseId?: string };
            region?: { startLine?: number; startColumn?: number };
          };
        }[];
        fixes?: {
          artifactChanges: { replacements: { deletedRegion: unknown; insertedContent: { text: string } }[] }[];
        }[];
      }[];
    }[];
  }
  const log = JSON.parse(formatSarif([...results, located], { rules: linter.rules })) as Log;
  const run = log.runs[0]!;

  it('validates against the SARIF 2.1.0 schema', () => {
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it("meets GitHub's requirements: a region in a repository-relative file, fingerprints, rule help", () => {
    expect(run.results.length).toBeGreaterThan(3);
    expect(run.originalUriBaseIds).toHaveProperty('%SRCROOT%');
    for (const r of run.results) {
      const physical = r.locations[0]?.physicalLocation;
      expect(physical?.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(physical?.artifactLocation.uri).not.toMatch(/^(\/|[a-z]+:)/i);
      expect(physical?.region?.startLine).toBeGreaterThanOrEqual(1);
      expect(physical?.region?.startColumn).toBeGreaterThanOrEqual(1);
      expect(Object.values(r.partialFingerprints ?? {})[0]).toMatch(/^[0-9a-f]{32}:\d+$/);
      expect(r.message.text.length).toBeGreaterThan(0);
    }
    const fingerprints = run.results.map((r) => Object.values(r.partialFingerprints ?? {})[0]);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(rule.fullDescription?.text.length).toBeGreaterThan(10);
    }
  });

  it('places findings where locate says, with the draft id, and fixes as JSON-escaped edits', () => {
    const subject = run.results.filter(
      (r) => r.properties?.draftId === 'spring-sale' && r.ruleId === 'brand/banned-term',
    );
    expect(subject[0]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'hub/drafts/spring-sale.json', uriBaseId: '%SRCROOT%' },
      region: expect.objectContaining({ startLine: 7, startColumn: 15 }) as unknown,
    });
    const fixed = run.results.find((r) => r.properties?.draftId === 'spring-sale' && r.fixes !== undefined);
    if (fixed !== undefined)
      expect(fixed.fixes?.[0]?.artifactChanges[0]?.replacements[0]?.deletedRegion).toHaveProperty('startLine', 7);
  });

  it('fingerprints survive a moved line', () => {
    const moved = JSON.parse(
      formatSarif({
        ...located,
        locate: (l) =>
          l.field === 'subject' ? { uri: 'hub/drafts/spring-sale.json', startLine: 9, startColumn: 3 } : undefined,
      }),
    ) as Log;
    const before = JSON.parse(formatSarif(located)) as Log;
    expect(moved.runs[0]!.results.map((r) => r.partialFingerprints)).toEqual(
      before.runs[0]!.results.map((r) => r.partialFingerprints),
    );
  });
});

describe('format', () => {
  it('dispatches by name and rejects unknown formats', () => {
    expect(format('json', results)).toBe(formatJson(results));
    expect(() => format('xml' as never, results)).toThrow(/Invalid format/);
  });
});
