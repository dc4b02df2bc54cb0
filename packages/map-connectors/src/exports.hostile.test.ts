import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isHubspokeError } from '@hubspoke/core';
import {
  deepObject,
  describeThrown,
  elapsedMs,
  fastestMs,
  hostileExportFailures,
  hostileValues,
  hugeString,
  probeExport,
} from '@hubspoke/core/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import * as asana from './connectors/asana/index.js';
import * as braze from './connectors/braze/index.js';
import * as eloqua from './connectors/eloqua/index.js';
import * as fsConnector from './connectors/fs/index.js';
import * as hubspot from './connectors/hubspot/index.js';
import * as marketo from './connectors/marketo/index.js';
import * as monday from './connectors/monday/index.js';
import * as sfmc from './connectors/sfmc/index.js';
import * as slack from './connectors/slack/index.js';
import * as smtp from './connectors/smtp/index.js';
import * as teams from './connectors/teams/index.js';
import * as entry from './index.js';

// Every entry point in package.json's exports (the testkit entries are test helpers, not API).
const entries: Record<string, Record<string, unknown>> = {
  '.': entry,
  './marketo': marketo,
  './eloqua': eloqua,
  './sfmc': sfmc,
  './hubspot': hubspot,
  './braze': braze,
  './asana': asana,
  './monday': monday,
  './slack': slack,
  './teams': teams,
  './smtp': smtp,
  './fs': fsConnector,
};

describe('every export of @hubspoke/map-connectors, with hostile input', () => {
  for (const [path, module] of Object.entries(entries)) {
    it(`${path}: returns a value or throws a HubspokeError (never a raw TypeError, RangeError or SyntaxError)`, async () => {
      const { failures } = await hostileExportFailures(fc, module);
      expect(failures).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('createSqlPublishStore checks its options before reading them (a random run once found null options raw)', () => {
    const sql = { query: () => Promise.resolve({ rows: [] }) };
    for (const options of [null, 'hubspoke_', 42])
      expect(() => entry.createSqlPublishStore(sql as never, options as never)).toThrow(
        expect.objectContaining({ code: 'E_VALIDATION', path: 'options' }),
      );
    expect(() => entry.createSqlPublishStore(null as never)).toThrow(expect.objectContaining({ path: 'sql' }));
  });
});

describe('connectors in dry run, given hostile input to every method', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map(async (d) => rm(d, { recursive: true, force: true }))));

  it('fs and Braze answer cyclic, deep, huge and wrong-typed input with HubspokeErrors (raw TypeError/RangeError before)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hubspoke-hostile-'));
    dirs.push(out);
    const connectors = [
      fsConnector.fs.create({ outDir: out }, { dryRun: true }),
      braze.braze.create({ apiKey: 'k'.repeat(32), restEndpoint: 'https://rest.iad-01.braze.com' }, { dryRun: true }),
    ];
    const escaped: string[] = [];
    for (const connector of connectors) {
      const methods = Object.keys(connector).filter(
        (k) => typeof (connector as unknown as Record<string, unknown>)[k] === 'function',
      );
      expect(methods).toContain('pushEmail');
      for (const method of methods) {
        const fn = (
          (connector as unknown as Record<string, (...a: unknown[]) => unknown>)[method] as (...a: unknown[]) => unknown
        ).bind(connector);
        for (const { label, value } of hostileValues()) {
          const outcome = await probeExport(fn, [value]);
          if (outcome.kind === 'raw')
            escaped.push(`${connector.manifest.id}.${method}(${label}): ${describeThrown(outcome.error)}`);
        }
      }
    }
    expect(escaped).toEqual([]);
  });

  it('pushEmails, createConnector and splitRange refuse huge, deep and endless input at once', async () => {
    const connector = fsConnector.fs.create({ outDir: 'unused' }, { dryRun: true });
    const baseline = await elapsedMs(() => entry.pushEmails(connector, [], 'x' as never));
    for (const value of [hugeString(), deepObject()]) {
      const calls: (() => unknown)[] = [
        () => entry.pushEmails(connector, [], value as never),
        () => entry.pushEmails(connector, value as never),
        () => entry.createConnector('fs', { outDir: 'o' }, value as never),
        () => entry.createConnector(value as never, {}),
      ];
      for (const call of calls) {
        expect(await fastestMs(call)).toBeLessThan(100 + 50 * baseline);
        const error: unknown = await Promise.resolve()
          .then(call)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        // A 10 MB string is refused (an unknown connector id is E_NOT_FOUND, as documented); a deep
        // options object holds nothing these read, so it may be accepted, but never walked.
        if (typeof value === 'string')
          expect(isHubspokeError(error, 'E_VALIDATION') || isHubspokeError(error, 'E_NOT_FOUND')).toBe(true);
        else expect(error === undefined || isHubspokeError(error)).toBe(true);
        if (error !== undefined) expect((error as Error).message.length).toBeLessThan(4_200);
      }
    }
    for (const step of [0, -1, Number.NaN, 1e-9])
      expect(() => entry.splitRange('2026-01-01', '2026-02-01', step)).toThrow(
        expect.objectContaining({ code: 'E_VALIDATION' }),
      );
    expect(entry.splitRange('2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z', 7)).toHaveLength(5);
  });
});
