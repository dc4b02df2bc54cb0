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
      ...methodsOf('Throttle', new Throttle({ concurrency: 2 })),
      ...methodsOf('KeyedSerializer', new KeyedSerializer()),
      ...methodsOf('TokenCache', new TokenCache(() => Promise.resolve({ token: 't', expiresInSeconds: 60 }) as never)),
      ...methodsOf('ActivityTally', new ActivityTally()),
      ...methodsOf('DryRunRecorder', dryRun),
      ...methodsOf(
        'HttpClient',
        new HttpClient({ connector: 'probe', vendor: 'Probe', baseUrl: 'http://127.0.0.1:9', dryRun }),
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
