import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../program.js';
import { tempProject } from '../test-helpers.js';

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; helpUri?: string; fullDescription?: { text: string } }[] } };
    results: {
      ruleId: string;
      level: string;
      message: { text: string };
      partialFingerprints?: Record<string, string>;
      properties?: { draftId?: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: { startLine: number; startColumn: number; endLine?: number; endColumn?: number };
        };
      }[];
    }[];
  }[];
}

const env = { NO_COLOR: '1' };
let repo: string;
let hub: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd: hub,
    env,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  // A hub in a folder of a Git repository: SARIF paths are relative to the repository.
  repo = await tempProject();
  await mkdir(path.join(repo, '.git'));
  hub = path.join(repo, 'marketing', 'hub');
  await mkdir(hub, { recursive: true });
  expect((await cli(['init'])).code).toBe(0);
  const file = path.join(hub, 'drafts/austin-store-opening.json');
  const draft = JSON.parse(await readFile(file, 'utf8')) as {
    content: Record<string, { subject: string; slots: Record<string, Record<string, unknown>> }>;
  };
  const en = draft.content['en-US']!;
  en.subject = 'Cheap "packs" in Austin';
  en.slots['message-1']!.body =
    '<p>Come by.</p>\n<p>Our <strong>guaranteed</strong> fit for cheap packs: <a href="http://other.example/x">here</a></p>';
  await writeFile(file, `${JSON.stringify(draft, null, 2)}\n`);
  // A colour slot off the palette: one finding, from the template, not also from the brand palette rule.
  await writeFile(
    path.join(hub, 'drafts/offer.json'),
    `${JSON.stringify(
      {
        id: 'offer',
        name: 'Offer',
        template: { id: 'seasonal-newsletter', version: 1 },
        author: 'jo',
        region: 'NA',
        defaultLocale: 'en-US',
        modules: [{ instanceId: 'offer-1', moduleId: 'offer' }],
        content: { 'en-US': { subject: 'Members save', slots: { 'offer-1': { background: '#ff0000' } } } },
      },
      null,
      2,
    )}\n`,
  );
});

describe('hubspoke lint --format sarif', () => {
  let log: SarifLog;
  beforeAll(async () => {
    const r = await cli(['lint', '--format', 'sarif']);
    expect(r.code).toBe(1);
    log = JSON.parse(r.stdout) as SarifLog;
    expect(r.stderr).toContain('out/lint');
  });

  it('validates against the SARIF 2.1.0 schema', () => {
    const require = createRequire(import.meta.url);
    const schema = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schema, 'utf8')) as object);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it('places every result in a real file of the repository, at the flagged text', () => {
    const results = log.runs[0]!.results;
    expect(results.length).toBeGreaterThan(5);
    for (const r of results) {
      const { artifactLocation, region } = r.locations[0]!.physicalLocation;
      expect(artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(artifactLocation.uri).toMatch(/^marketing\/hub\/(drafts|out\/lint)\//);
      const file = path.join(repo, artifactLocation.uri);
      expect(existsSync(file), artifactLocation.uri).toBe(true);
      const lines = readFileSync(file, 'utf8').split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(region.startLine);
      expect(r.partialFingerprints?.['hubspokeFinding/v1']).toMatch(/^[0-9a-f]{32}:\d+$/);
      expect(r.properties?.draftId).toMatch(/^(austin-store-opening|offer)$/);
    }
    const flagged = (rule: string, word: string) => {
      const found = results.filter((r) => r.ruleId === rule && r.message.text.toLowerCase().includes(word));
      expect(found.length, `${rule} ${word}`).toBeGreaterThan(0);
      for (const r of found) {
        const { artifactLocation, region } = r.locations[0]!.physicalLocation;
        const line = readFileSync(path.join(repo, artifactLocation.uri), 'utf8').split('\n')[region.startLine - 1];
        expect(line?.slice(region.startColumn - 1, region.endColumn! - 1).toLowerCase()).toBe(word);
      }
    };
    flagged('brand/banned-term', 'cheap');
    flagged('brand/banned-term', 'guaranteed');
    for (const rule of log.runs[0]!.tool.driver.rules) {
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(rule.fullDescription?.text).toBeTruthy();
    }
  });

  it('reports a colour off the palette once, as the template error', () => {
    const colour = log.runs[0]!.results.filter(
      (r) => r.properties?.draftId === 'offer' && /#ff0000/i.test(r.message.text) && !r.ruleId.includes('contrast'),
    );
    expect(colour.map((r) => [r.ruleId, r.level])).toEqual([['template/off-palette', 'error']]);
  });
});

describe('hubspoke lint names the draft', () => {
  it('--json results carry the draft id and file', async () => {
    const r = await cli(['lint', '--json']);
    const results = JSON.parse(r.stdout) as { draft: { id: string; file: string }; diagnostics: unknown[] }[];
    expect(results.map((x) => x.draft).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'austin-store-opening', file: path.join('drafts', 'austin-store-opening.json') },
      { id: 'offer', file: path.join('drafts', 'offer.json') },
    ]);
  });

  it('compact and stylish name the draft file for findings outside a slot too', async () => {
    const compact = await cli(['lint', '--format', 'compact']);
    const lines = compact.stdout.split('\n').filter((l) => l.includes(' - '));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line).toMatch(/^drafts\/(austin-store-opening|offer)\.json/);
    expect(compact.stderr).not.toMatch(/errors?, \d+ warnings?/); // compact prints its own count
    const stylish = await cli(['lint']);
    expect(stylish.stdout).not.toMatch(/^(rendered|draft)( \(|$)/m);
  });
});
