/**
 * No secret of any built-in connector, nor any 8 characters of one, appears in what it throws
 * (message, JSON, util.inspect with the cause chain, stack), returns from `check`, logs, or records
 * in a dry run, while the vendor echoes every request back (path, query, headers, body) at every
 * error status. A connector added to the registry without an entry here fails the first test.
 */
import { createServer, type Server } from 'node:net';
import { startEchoServer, secretLeaks, shownForms, type EchoServer } from '@hubspoke/core/testkit';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInConnectors } from '../../registry.js';
import { samplePng, samplePushEmailInput, sampleRenderedEmail } from '../../testkit/fixtures.js';
import type { HubspokeConnector } from '../define-connector.js';
import { createDryRunRecorder } from './dry-run.js';
import { memoryLogger } from './logger.js';

/** Where the connectors under test send: the HTTP echo server, and an SMTP server that echoes each command it refuses. */
interface Echoes {
  http: string;
  smtpPort: number;
}

/** For each connector: its config with every secret field filled and every URL pointing at the echo servers. */
const configs: Record<string, ((echo: Echoes, s: readonly string[]) => Record<string, unknown>)[]> = {
  marketo: [
    (echo, s) => ({ baseUrl: echo.http, clientId: s[0], clientSecret: s[1], emailFolderId: 1, templateFolderId: 2 }),
  ],
  eloqua: [(echo, s) => ({ loginUrl: echo.http, company: 'Acme', username: s[0], password: s[1], syncPollMs: 1 })],
  sfmc: [
    (echo, s) => ({
      subdomain: 'mc123',
      clientId: s[0],
      clientSecret: s[1],
      categoryId: 1,
      authBaseUrl: `${echo.http}/`,
    }),
  ],
  hubspot: [(echo, s) => ({ accessToken: s[0], baseUrl: echo.http })],
  braze: [(echo, s) => ({ apiKey: s[0], restEndpoint: echo.http })],
  asana: [(echo, s) => ({ accessToken: s[0], projectGid: '1', workspaceGid: '2', baseUrl: `${echo.http}/api/1.0/` })],
  monday: [(echo, s) => ({ apiToken: s[0], boardId: '1', apiUrl: `${echo.http}/v2` })],
  slack: [
    // The secret of a webhook is its path: the vendor echoing the path alone must not show it.
    (echo, s) => ({ webhookUrl: `${echo.http}/services/T0AB12CD3/B0EF45GH6/${s[0]}` }),
    (echo, s) => ({ botToken: s[0], channel: 'C123', apiBaseUrl: `${echo.http}/api/` }),
  ],
  smtp: [
    (echo, s) => ({
      host: '127.0.0.1',
      port: echo.smtpPort,
      requireTLS: false,
      username: s[0],
      password: s[1],
      from: 'qa@acme.example',
      timeoutMs: 5000,
    }),
  ],
  teams: [(echo, s) => ({ webhookUrl: `${echo.http}/webhookb2/${s[0]}/IncomingWebhook/${s[1]}` })],
};
/** Connectors that hold no secret. */
const secretless = new Set(['fs']);

const tokenChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
// A digit every fourth character: no 8-character run of a secret can be a word the connector itself prints
// (a secret starting "Property…" would otherwise be "found" in an adaptive card).
const secretArb = fc
  .string({ unit: fc.constantFrom(...tokenChars), minLength: 16, maxLength: 40 })
  .map((s) => s.replace(/(...)./g, (_, three: string, index: number) => `${three}${String((index / 4) % 10)}`));
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
  const c = connector;
  await call(async () => c.pushEmail?.(samplePushEmailInput(1)));
  await call(async () => c.pushTemplate?.({ templateId: 't', templateVersion: 1, name: 'T', html: '<p>x</p>' }));
  await call(async () => c.createTask?.({ taskKey: 's/brand/1/bea', title: 'Review', submissionId: 's' }));
  await call(async () => c.closeTask?.({ taskKey: 's/brand/1/bea', remoteId: '42' }, 'approved'));
  await call(async () => c.notify?.({ title: 'Review', text: 'Please review', url: 'https://hub.example/s' }));
  await call(async () =>
    c.sendTest?.({
      draftId: 'draft-1',
      draftVersion: 1,
      locale: 'en',
      recipients: ['seed@acme.example'],
      email: sampleRenderedEmail(),
    }),
  );
  await call(async () => c.uploadAsset?.({ name: 'hero.png', contentType: 'image/png', data: samplePng }));
  await call(async () => {
    const rows: unknown[] = [];
    const metrics = c.pullMetrics?.({ since: '2026-03-01T00:00:00Z', until: '2026-03-02T00:00:00Z' });
    if (metrics !== undefined) for await (const row of metrics) rows.push(row);
    return rows;
  });
  return seen;
}

/** An SMTP server that offers AUTH and refuses every credential, quoting what it was sent (as some do in 535 replies). */
async function startSmtpEcho(): Promise<{ port: number; readonly lines: string[]; close(): Promise<void> }> {
  const lines: string[] = [];
  const server: Server = createServer((socket) => {
    socket.setEncoding('utf8');
    socket.write('220 echo.test ESMTP\r\n');
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let at = buffered.indexOf('\r\n'); at >= 0; at = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, at);
        buffered = buffered.slice(at + 2);
        lines.push(line);
        if (/^(EHLO|HELO)/i.test(line)) socket.write('250-echo.test\r\n250 AUTH PLAIN LOGIN\r\n');
        else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write(`535 5.7.8 Authentication rejected: ${line}\r\n`);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    lines,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('connectors never show a secret, whatever the vendor echoes', () => {
  let echo: EchoServer;
  let smtp: Awaited<ReturnType<typeof startSmtpEcho>>;
  beforeAll(async () => {
    echo = await startEchoServer();
    smtp = await startSmtpEcho();
  });
  afterAll(async () => {
    await echo.close();
    await smtp.close();
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
            const config = variants[which]!({ http: echo.url, smtpPort: smtp.port }, secrets);
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
