import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { MAX_NAME_LENGTH } from '@hubspoke/core';
import { hostileExportFailures, hugeString, methodsOf, slowHostileRefusals } from '@hubspoke/core/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as entry from './index.js';

// Exports that write files (scaffoldHub, writeFileAtomic, …) are called with hostile paths: they
// run in a scratch folder, so whatever they accept lands there.
let scratch: string;
let empty: string;
const cwd = process.cwd();
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hubspoke-hub-hostile-'));
  empty = await mkdtemp(join(tmpdir(), 'hubspoke-hub-empty-'));
  process.chdir(scratch);
});
afterAll(() => {
  // Back where the run started: the next test file may run in this process.
  process.chdir(cwd);
  // Synchronously: a write the suite gave up on may still hold the file system's worker threads.
  rmSync(scratch, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

describe('every export of @hubspoke/hub, with hostile input', () => {
  it('writeFileAtomic writes data of any length (only the path is bounded)', async () => {
    const data = 'x'.repeat(MAX_NAME_LENGTH * 4);
    await entry.writeFileAtomic(join(empty, 'long.txt'), data);
    expect(await entry.readText(join(empty, 'long.txt'), 'long file')).toBe(data);
    await expect(entry.writeFileAtomic('x'.repeat(MAX_NAME_LENGTH + 1), 'data')).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'file',
    });
  });

  it('returns a value or throws a HubspokeError (never a raw TypeError, RangeError or SyntaxError)', async () => {
    const { covered, failures } = await hostileExportFailures(fc, entry, {
      numRuns: 10,
      onExport: (name, ms) => {
        if (process.env.HOSTILE_TIMES !== undefined) console.log(`${name}: ${ms.toFixed(0)} ms`);
      },
    });
    expect(covered.length).toBeGreaterThan(60);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the methods of a HubStore return a value or throw a HubspokeError, and refuse a 10 MB name at once', async () => {
    // A client that answers every statement with no rows: what is probed is the store's own handling
    // of its arguments (a database would only add time; every driver failure is wrapped by run()).
    const statements: string[] = [];
    const sql = {
      query: (text: string) => {
        statements.push(text);
        return Promise.resolve({ rows: [] });
      },
    };
    const store = await entry.HubStore.open(sql, { migrate: false });
    const methods = methodsOf('HubStore', store);
    expect(Object.keys(methods)).toEqual(expect.arrayContaining(['HubStore.createDraft', 'HubStore.changesSince']));
    const { covered, failures } = await hostileExportFailures(fc, methods, {
      numRuns: 5,
      onExport: (name, ms) => {
        if (process.env.HOSTILE_TIMES !== undefined) console.log(`${name}: ${ms.toFixed(0)} ms`);
      },
    });
    expect(covered.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    statements.length = 0;
    await expect(store.recordReview('d', 's', 'approved', hugeString())).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'actor',
    });
    await expect(store.createDraft({ id: 'c' } as never, 'sam', null as never)).rejects.toMatchObject({
      path: 'options',
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(store.recordTestSend('k', 'sam', cyclic)).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'data',
    });
    expect(statements).toEqual([]);
  });

  it('checkConnector, connectorOf and dispatchEffects refuse anything but a Hub with E_VALIDATION', async () => {
    for (const hub of [undefined, null, {}, { settings: () => ({}) }, 'hub'])
      for (const call of [
        () => entry.checkConnector(hub as never, undefined),
        () => entry.connectorOf(hub as never, undefined),
        () => entry.dispatchEffects(hub as never, {} as never),
      ])
        await expect(call()).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'hub' });
  });

  it('refuses a 10 MB string or a 10,000-level value in any argument at once', async () => {
    // From a folder without a hub: the suite above may have scaffolded one in scratch, and loading it is
    // real work unrelated to the input (a loaded machine made loadHub's three tries take seconds).
    process.chdir(empty);
    expect(await slowHostileRefusals(entry)).toEqual([]);
  });
});
