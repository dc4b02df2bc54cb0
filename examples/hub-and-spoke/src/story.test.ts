import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoError, runDemo, type DemoResult } from './story.js';

let result: DemoResult;
let outDir = '';
const lines: string[] = [];

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'hubspoke-demo-'));
  result = await runDemo({ outDir, say: (line) => lines.push(line) });
}, 240_000);

// The hub's folder database alone is 40 MB.
afterAll(async () => {
  if (outDir !== '') await rm(outDir, { recursive: true, force: true });
});

describe('the hub-and-spoke demo', () => {
  it("lint finds Austin's four mistakes, --fix repairs the safe ones, and Jo fixes the rest", () => {
    expect(result.austinLint.before.error).toBeGreaterThanOrEqual(4);
    expect(result.austinLint.afterFix.error).toBeLessThan(result.austinLint.before.error ?? 0);
    expect(result.austinLint.afterFix.error).toBeGreaterThan(0);
    expect(result.austinLint.final).toEqual({ error: 0, warning: 0 });
    const firstLint = result.steps.find((s) => s.args.join(' ') === 'lint drafts/austin-spring.json --format compact');
    for (const rule of ['brand/banned-term', 'brand/image-alt', 'brand/link-https', 'template/off-palette'])
      expect(firstLint?.stdout).toContain(rule);
  });

  it('routes Berlin through brand, legal and regional review, and lets Austin skip brand review', () => {
    expect(result.routing.berlin).toEqual({ brand: 'active', legal: 'pending', regional: 'pending' });
    expect(result.routing.austin).toEqual({ brand: 'skipped', legal: 'skipped', regional: 'active' });
  });

  it('ends with both campaigns approved after one changes-required round', () => {
    expect(result.final).toEqual({ berlin: 'approved', austin: 'approved' });
    const returned = result.steps.find((s) => s.args.includes('request-changes'));
    expect(returned?.stdout).toContain('returned to author');
    expect(result.steps.every((s) => s.code === 0 || (s.args[0] === 'lint' && s.code === 1))).toBe(true);
  });

  it('writes renders, exports and the OKR report', async () => {
    for (const file of result.files) expect(existsSync(path.join(result.hub, file)), file).toBe(true);
    expect(await readFile(path.join(result.hub, 'out/render/austin-spring/en-US/sfmc.html'), 'utf8')).toContain(
      'AttributeValue',
    );
    expect(await readFile(path.join(result.hub, 'out/render/berlin-spring/de-DE/marketo.html'), 'utf8')).toContain(
      '{{lead.First Name',
    );
    const manifest = JSON.parse(
      await readFile(path.join(result.hub, 'out/export/berlin-spring/v2/de-DE/manifest.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(JSON.stringify(manifest)).toContain('berlin-spring');
    expect(await readFile(path.join(result.hub, 'out/okr-report.svg'), 'utf8')).toMatch(/^<svg/);
    // The outbox was delivered: review requests for both drafts, and Lena told of the returned draft.
    const notifications = (await readFile(path.join(result.hub, 'out/export/outbox/notifications.jsonl'), 'utf8'))
      .trim()
      .split('\n');
    expect(notifications.some((n) => n.includes('berlin-spring') && n.includes('lee'))).toBe(true);
    expect(notifications.some((n) => n.includes('austin-spring') && n.includes('sam'))).toBe(true);
    expect(notifications.some((n) => n.includes('berlin-spring') && n.includes('lena'))).toBe(true);
  });

  it('feeds the metrics into the bound key results with the right values', async () => {
    const report = await readFile(path.join(result.hub, 'out/okr-report.md'), 'utf8');
    // NA click-through: Σ unique clicks / Σ delivered over eight weeks (ratio of sums)
    expect(report).toContain('NA click-through rate to 4%');
    expect(report).toMatch(/NA click-through rate to 4% \| increase \| leading \| 3\.48 %/);
    expect(report).toMatch(/EMEA click-through rate to 3\.5% \| increase \| leading \| 2\.92 %/);
    const okrs = JSON.parse(await readFile(path.join(result.hub, 'okrs.json'), 'utf8')) as {
      objectives: { keyResults: { id: string; checkIns: { source: string }[] }[] }[];
    };
    const bound = okrs.objectives
      .flatMap((o) => o.keyResults)
      .filter((k) => k.checkIns.some((c) => c.source === 'metrics'));
    expect(bound.map((k) => k.id).sort()).toEqual([
      'deliverability',
      'emea-ctr',
      'emea-revenue',
      'emea-unsub',
      'na-conversion',
      'na-ctr',
      'na-roi',
    ]);
  });

  it('runs the summer campaigns through `hubspoke serve --dev`: each person acts as themselves over HTTP', () => {
    const { server } = result;
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // Each spoke read its lint over HTTP, fixed what it asked for, and a stale second save was refused.
    expect(server.lint.lena?.before).toBeGreaterThan(0);
    expect(server.lint.jo?.before).toBeGreaterThan(0);
    expect(server.lint).toMatchObject({ lena: { after: 0 }, jo: { after: 0 } });
    expect(server.staleSaves).toEqual([412, 412]);
    expect(server.final).toEqual({ berlin: 'approved', austin: 'approved' });
    // Reviewers decided as themselves: never the author, and every decision by someone assigned to it.
    expect(server.decisions.length).toBeGreaterThan(0);
    for (const d of server.decisions) expect(['lena', 'jo']).not.toContain(d.by);
    for (const [region, author, name] of [
      ['berlin', 'lena', 'Lena Vogel (Berlin)'],
      ['austin', 'jo', 'Jo Carter (Austin)'],
    ] as const) {
      const audit = server.audit[region];
      expect(audit.verified).toBe(true);
      expect(audit.people[0]).toEqual({ id: author, issuer: 'hubspoke-dev', subject: author, name });
      const deciders = server.decisions.filter((d) => d.submission === server.submissions[region]).map((d) => d.by);
      expect(deciders.length).toBeGreaterThan(0);
      // The export names each person who acted, with who vouched for them (the dev sign-in here).
      for (const id of deciders) {
        const person = audit.people.find((p) => p.id === id);
        expect(person, id).toMatchObject({ issuer: 'hubspoke-dev', subject: id });
        expect(person?.name, id).toMatch(/\w+ \w+/);
      }
    }
    expect(lines.some((l) => l.includes('DEVELOPMENT MODE'))).toBe(true);
  });

  it('narrates every step', () => {
    expect(lines.join('\n')).toContain('$ hubspoke submit berlin-spring --as lena --json');
    expect(lines.some((l) => l.includes('Ridge trail boots'))).toBe(true);
  });
});

describe('when a step fails', () => {
  it('stops the story with the failing command and its error instead of carrying on', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'hubspoke-demo-'));
    const seen: string[] = [];
    // Someone breaks the workflow file just before the review starts.
    const say = (line: string) => {
      seen.push(line);
      if (line.startsWith('3. Review')) writeFileSync(path.join(outDir, 'northwind-hub/workflow.json'), '{ "stages": ');
    };
    const error = await runDemo({ outDir, say }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DemoError);
    expect((error as DemoError).message).toMatch(
      /^\$ hubspoke submit berlin-spring --as lena --json failed with exit 3: error E_VALIDATION: workflow: .*workflow\.json:1:13 is not valid JSON/,
    );
    expect(seen.some((l) => l.includes('hubspoke decide'))).toBe(false);
  }, 120_000);
});
