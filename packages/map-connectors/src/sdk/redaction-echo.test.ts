/**
 * No secret of any built-in connector, nor any 8 characters of one, appears in what it throws
 * (message, JSON, util.inspect with the cause chain, stack), returns from `check`, logs, or records
 * in a dry run, while the vendor echoes every request back (path, query, headers, body) at every
 * error status. A connector added to the registry without an entry here fails the first test.
 */
import { startEchoServer, secretLeaks, shownForms, type EchoServer } from '@hubspoke/core/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInConnectors } from '../registry.js';
import { samplePushEmailInput } from '../testkit/fixtures.js';
import type { HubspokeConnector } from './define-connector.js';
import { createDryRunRecorder } from './dry-run.js';
import { memoryLogger } from './logger.js';

/** For each connector: its config with every secret field filled and every URL pointing at the echo server. */
const configs: Record<string, ((echo: string, s: readonly string[]) => Record<string, unknown>)[]> = {
  marketo: [
    (echo, s) => ({ baseUrl: echo, clientId: s[0], clientSecret: s[1], emailFolderId: 1, templateFolderId: 2 }),
  ],
  eloqua: [(echo, s) => ({ loginUrl: echo, company: 'Acme', username: s[0], password: s[1], syncPollMs: 1 })],
  sfmc: [
    (echo, s) => ({ subdomain: 'mc123', clientId: s[0], clientSecret: s[1], categoryId: 1, authBaseUrl: `${echo}/` }),
  ],
  hubspot: [(echo, s) => ({ accessToken: s[0], baseUrl: echo })],
  braze: [(echo, s) => ({ apiKey: s[0], restEndpoint: echo })],
  asana: [(echo, s) => ({ accessToken: s[0], projectGid: '1', workspaceGid: '2', baseUrl: `${echo}/api/1.0/` })],
  monday: [(echo, s) => ({ apiToken: s[0], boardId: '1', apiUrl: `${echo}/v2` })],
  slack: [
    // The secret of a webhook is its path: the vendor echoing the path alone must not show it.
    (echo, s) => ({ webhookUrl: `${echo}/services/T0AB12CD3/B0EF45GH6/${s[0]}` }),
    (echo, s) => ({ botToken: s[0], channel: 'C123', apiBaseUrl: `${echo}/api/` }),
  ],
  teams: [(echo, s) => ({ webhookUrl: `${echo}/webhookb2/${s[0]}/IncomingWebhook/${s[1]}` })],
};
/** Connectors that hold no secret. */
const secretless = new Set(['fs']);

const tokenChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
const secretArb = fc.string({ unit: fc.constantFrom(...tokenChars), minLength: 16, maxLength: 40 });
const statusArb = fc.constantFrom(400, 401, 403, 404, 409, 422, 429, 500, 503);
const runtime = {
  retry: { baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 10_000, maxAttempts: 2 },
  limits: { callsPerWindow: 1000, windowMs: 100, concurrency: 8 },
};

/** Every capability, called with valid input; what each throws or returns. */
async function everything(connector: HubspokeConnector): Promise<unknown[]> {
  const seen: unknown[] = [];
  const call = async (run: () => Promise<unknown>) => {
    try {
      seen.push(await run());
    } catch (error) {
      seen.push(error);
    }
  };
  await call(() => connector.check());
  const { pushEmail, pushTemplate, createTask, closeTask, notify, pullMetrics } = connector;
  if (pushEmail) await call(() => pushEmail(samplePushEmailInput(1)));
  if (pushTemplate)
    await call(() => pushTemplate({ templateId: 't', templateVersion: 1, name: 'T', html: '<p>x</p>' }));
  if (createTask) await call(() => createTask({ taskKey: 's/brand/1/bea', title: 'Review', submissionId: 's' }));
  if (closeTask) await call(() => closeTask({ taskKey: 's/brand/1/bea', remoteId: '42' }, 'approved'));
  if (notify) await call(() => notify({ title: 'Review', text: 'Please review', url: 'https://hub.example/s' }));
  if (pullMetrics)
    await call(async () => {
      const rows: unknown[] = [];
      for await (const row of pullMetrics({ since: '2026-03-01T00:00:00Z', until: '2026-03-02T00:00:00Z' }))
        rows.push(row);
      return rows;
    });
  return seen;
}

describe('connectors never show a secret, whatever the vendor echoes', () => {
  let echo: EchoServer;
  beforeAll(async () => {
    echo = await startEchoServer();
  });
  afterAll(async () => {
    await echo.close();
  });

  it('has a configuration for every built-in connector that holds secrets', () => {
    const ids = Object.keys(builtInConnectors).filter((id) => !secretless.has(id));
    expect(Object.keys(configs).sort()).toEqual(ids.sort());
    for (const id of secretless)
      expect(builtInConnectors[id as keyof typeof builtInConnectors].manifest.secrets).toEqual([]);
  });

  for (const [id, variants] of Object.entries(configs)) {
    it(`${id}: errors, check results, logs and dry-run records`, async () => {
      const definition = builtInConnectors[id as keyof typeof builtInConnectors];
      await fc.assert(
        fc.asyncProperty(
          fc.array(secretArb, { minLength: 2, maxLength: 2 }),
          statusArb,
          fc.nat(variants.length - 1),
          async (secrets, status, which) => {
            echo.status = status;
            const config = variants[which]!(echo.url, secrets);
            const logger = memoryLogger();
            const live = definition.create(config, { ...runtime, logger });
            const outcomes = await everything(live);
            const dryRun = createDryRunRecorder();
            const dry = await everything(definition.create(config, { ...runtime, logger, dryRun }));
            const shown = [...outcomes, ...dry].flatMap(shownForms);
            shown.push(JSON.stringify(logger.records), JSON.stringify(dryRun.records));
            expect(secretLeaks(shown, secrets)).toEqual([]);
            // The vendor did see the requests (and echoed them): the test is not vacuous.
            expect(echo.requests.length).toBeGreaterThan(0);
          },
        ),
        { numRuns: 12 },
      );
    });
  }
});
