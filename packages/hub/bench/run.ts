/**
 * Benchmarks for @hubspoke/hub: `checkDraft` of a 10-section newsletter (validate + render +
 * lint) cold (MJML compiles the skeleton) against a warm re-check after a text edit (the skeleton
 * is reused), and HubStore draft saves on PGlite (and PostgreSQL when HUBSPOKE_TEST_PG_URL is
 * set). Prints `BENCH {...}` lines.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Draft } from '@hubspoke/core';
import { defaultSkeletonCache } from '@hubspoke/template-engine';
import { HubStore, loadHub, openDatabase, scaffoldHub, type DatabaseTarget } from '../src/index.js';

function report(name: string, value: number, unit: 'x' | 'ms' | 'ops/s', target?: string): void {
  console.log(
    `BENCH ${JSON.stringify({ name, value: Number(value.toFixed(2)), unit, ...(target === undefined ? {} : { target }) })}`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** The seasonal newsletter with ten sections: header, hero, intro, three features, offer, quote, closing, footer. */
function tenSections(base: Draft): Draft {
  const ids = ['header', 'hero', 'intro', 'feature', 'feature', 'feature', 'offer', 'quote', 'closing', 'footer'];
  const seen = new Map<string, number>();
  const modules = ids.map((moduleId) => {
    const n = (seen.get(moduleId) ?? 0) + 1;
    seen.set(moduleId, n);
    return { instanceId: `${moduleId}-${n}`, moduleId, hidden: false };
  });
  const slots = {
    'feature-1': { title: 'Trail boots' },
    'feature-2': { title: 'Day packs' },
    'feature-3': { title: 'Rain shells' },
    'offer-1': { headline: 'Members save more' },
  };
  return {
    ...base,
    id: 'bench-newsletter',
    template: { id: 'seasonal-newsletter', version: 1 },
    modules,
    content: { 'en-US': { slots } },
  };
}

function withHeadline(draft: Draft, text: string): Draft {
  const en = draft.content['en-US'] ?? { slots: {} };
  return { ...draft, content: { 'en-US': { ...en, slots: { ...en.slots, 'hero-1': { headline: text } } } } };
}

async function checkDraftBench(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hubspoke-hub-bench-'));
  try {
    await scaffoldHub(dir);
    const hub = await loadHub({ cwd: dir, database: 'memory:', env: {} });
    const draft = tenSections((await hub.draft('austin-store-opening')).draft);
    const first = await hub.checkDraft(withHeadline(draft, 'Spring on the trail'));
    if (first.diagnostics.some((d) => d.ruleId.startsWith('template/') && d.severity === 'error'))
      throw new Error(`the bench draft is not valid: ${first.diagnostics.map((d) => d.message).join('; ')}`);
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < 12; i++) {
      defaultSkeletonCache.clear();
      let started = performance.now();
      await hub.checkDraft(withHeadline(draft, `Spring on the trail ${i}`));
      cold.push(performance.now() - started);
      started = performance.now();
      await hub.checkDraft(withHeadline(draft, `Spring on the trail, take ${i}`));
      warm.push(performance.now() - started);
    }
    report('checkDraft 10-section cold (MJML skeleton compile), median', median(cold), 'ms');
    report('checkDraft 10-section warm re-check after a text edit, median', median(warm), 'ms');
    report('checkDraft warm vs cold', median(cold) / median(warm), 'x', '>=2');
    await hub.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function saveBench(label: string, target: DatabaseTarget): Promise<void> {
  const database = await openDatabase(target);
  try {
    const store = await HubStore.open(database.sql, { tablePrefix: `bench${String(Date.now() % 100000)}_` });
    const dir = await mkdtemp(path.join(tmpdir(), 'hubspoke-hub-bench-'));
    await scaffoldHub(dir);
    const hub = await loadHub({ cwd: dir, database: 'memory:', env: {} });
    const draft = (await hub.draft('austin-store-opening')).draft;
    await hub.close();
    await rm(dir, { recursive: true, force: true });
    let current = await store.createDraft(draft, 'jo');
    const n = 300;
    const started = performance.now();
    for (let i = 0; i < n; i++)
      current = await store.updateDraft({ ...current.draft, name: `Austin store opening ${i}` }, current.version, 'jo');
    report(
      `HubStore draft save (version + history + change feed) on ${label}`,
      n / ((performance.now() - started) / 1000),
      'ops/s',
      '>=100',
    );
  } finally {
    await database.close();
  }
}

await checkDraftBench();
await saveBench('PGlite (memory)', { kind: 'memory' });
const pgUrl = process.env.HUBSPOKE_TEST_PG_URL;
if (pgUrl !== undefined) await saveBench('PostgreSQL', { kind: 'postgres', url: pgUrl });
else console.log('PostgreSQL save bench skipped: set HUBSPOKE_TEST_PG_URL to run it');
