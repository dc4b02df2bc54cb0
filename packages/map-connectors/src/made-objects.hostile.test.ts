import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { hostileExportFailures, methodsOf } from '@hubspoke/core/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as braze from './connectors/braze/index.js';
import * as fsConnector from './connectors/fs/index.js';
import {
  ActivityTally,
  createDryRunRecorder,
  createMemoryPublishStore,
  createSqlPublishStore,
  HttpClient,
  KeyedSerializer,
  Throttle,
  TokenCache,
} from './index.js';

/** The methods TypeScript callers can reach (methodsOf also lists `private` ones, which are not API). */
function publicOnly<T>(methods: Record<string, T>, names: readonly string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(methods).filter(([key]) => names.includes(key.slice(key.indexOf('.') + 1))));
}

describe('the methods of the objects map-connectors makes, with hostile input in every position', () => {
  let pglite: PGlite;
  let out: string;
  beforeAll(async () => {
    pglite = await PGlite.create();
    out = await mkdtemp(join(tmpdir(), 'hubspoke-made-objects-'));
  });
  afterAll(async () => {
    await pglite.close();
    await rm(out, { recursive: true, force: true });
  });

  it('publish stores, the SDK helpers and dry-run connectors return a value or throw a HubspokeError', async () => {
    const dryRun = createDryRunRecorder();
    const methods = {
      ...methodsOf('MemoryPublishStore', createMemoryPublishStore()),
      ...methodsOf('SqlPublishStore', createSqlPublishStore(pglite, { tablePrefix: 'probe_' })),
      ...publicOnly(methodsOf('Throttle', new Throttle({ concurrency: 2 })), ['acquire', 'pauseUntil']),
      ...methodsOf('KeyedSerializer', new KeyedSerializer()),
      ...publicOnly(
        methodsOf('TokenCache', new TokenCache(() => Promise.resolve({ token: 't', expiresInSeconds: 60 }) as never)),
        ['get', 'headers', 'invalidate'],
      ),
      ...methodsOf('ActivityTally', new ActivityTally()),
      ...methodsOf('DryRunRecorder', dryRun),
      ...publicOnly(
        methodsOf(
          'HttpClient',
          new HttpClient({ connector: 'probe', vendor: 'Probe', baseUrl: 'http://127.0.0.1:9', dryRun }),
        ),
        ['send', 'log', 'error'],
      ),
      ...methodsOf('FsConnector', fsConnector.fs.create({ outDir: out }, { dryRun: true })),
      ...methodsOf(
        'BrazeConnector',
        braze.braze.create({ apiKey: 'k'.repeat(32), restEndpoint: 'https://rest.iad-01.braze.com' }, { dryRun: true }),
      ),
    };
    const { covered, failures } = await hostileExportFailures(fc, methods, { numRuns: 3 });
    expect(covered.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });

  it('an activity of no known kind is refused (it counted as NaN under a key of its own before)', () => {
    const tally = new ActivityTally();
    expect(() => {
      tally.add('email-1', 'opened' as never, 'c-1');
    }).toThrow(expect.objectContaining({ code: 'E_VALIDATION', path: 'kind' }));
    tally.add('email-1', 'open', 'c-1');
    expect([...tally.entries()]).toEqual([['email-1', expect.objectContaining({ totalOpens: 1, uniqueOpens: 1 })]]);
  });
});
