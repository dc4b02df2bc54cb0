import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDryRunRecorder } from '../../sdk/http/dry-run.js';
import { describeConformance } from '../../testkit/vitest.js';
import { sampleRenderedEmail } from '../../testkit/fixtures.js';
import { smtp } from './smtp.js';

interface Received {
  from: string;
  to: string[];
  mail: ParsedMail;
}

/** A real SMTP server (nodemailer's smtp-server) on 127.0.0.1 and a random port; it parses what it receives. */
async function startServer(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'qa-bot' && auth.password === 's3cret-pass') callback(null, { user: 'qa-bot' });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@unknown.example')) callback(new Error('No such mailbox'));
      else callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            mail,
          });
          callback();
        })
        .catch(callback);
    },
    logger: false,
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { server, port, received };
}

let running: Awaited<ReturnType<typeof startServer>> | undefined;
/** Closes a server started by a test (or nothing). */
const stop = (started: { server: SMTPServer } | undefined) =>
  new Promise<void>((resolve) => {
    if (started === undefined) resolve();
    else
      started.server.close(() => {
        resolve();
      });
  });
afterEach(async () => {
  await stop(running);
  running = undefined;
});

const config = (port: number, extra: Record<string, unknown> = {}) => ({
  host: '127.0.0.1',
  port,
  requireTLS: false,
  from: 'Hubspoke QA <qa@acme.example>',
  timeoutMs: 20_000,
  ...extra,
});
const testSends = { allowedDomains: ['acme.example'] };
const input = (recipients: string[]) => ({
  draftId: 'spring-sale',
  draftVersion: 3,
  locale: 'en',
  seedList: 'emea',
  recipients,
  email: sampleRenderedEmail(),
});

describe('smtp connector', () => {
  it('sends the rendered email to each seed address through a real SMTP server, marked as a test', async () => {
    running = await startServer();
    const connector = smtp.create(config(running.port), { testSends });
    expect(connector.manifest).toMatchObject({
      specificationVersion: 'v1.1',
      kind: 'mail',
      capabilities: ['check', 'sendTest'],
    });
    expect(await connector.check()).toMatchObject({ ok: true });
    const result = await connector.sendTest!(input(['qa@acme.example', 'legal@acme.example']));
    expect(result.sent).toEqual(['qa@acme.example', 'legal@acme.example']);
    expect(result.messageIds).toHaveLength(2);
    expect(running.received.map((r) => r.to)).toEqual([['qa@acme.example'], ['legal@acme.example']]);
    const { mail, from } = running.received[0]!;
    expect(from).toBe('qa@acme.example');
    expect(mail.subject).toBe('[TEST] Spring sale starts now');
    expect(mail.html).toContain('<h1>Spring sale</h1>');
    expect(mail.text?.trim()).toBe('Spring sale');
    expect(mail.headers.get('x-hubspoke-test')).toBe('spring-sale v3 en');
    expect(mail.headers.get('x-hubspoke-seed-list')).toBe('emea');
  });

  it('authenticates, and reports wrong credentials as E_AUTH without the password in the message', async () => {
    running = await startServer({ authOptional: false, authMethods: ['PLAIN', 'LOGIN'], allowInsecureAuth: true });
    const good = smtp.create(config(running.port, { username: 'qa-bot', password: 's3cret-pass' }), { testSends });
    await good.sendTest!(input(['qa@acme.example']));
    expect(running.received).toHaveLength(1);
    const bad = smtp.create(config(running.port, { username: 'qa-bot', password: 'wrong-pass-123' }), { testSends });
    const checked = await bad.check();
    expect(checked).toMatchObject({ ok: false, details: { code: 'E_AUTH' } });
    expect(JSON.stringify(checked)).not.toContain('wrong-pass-123');
    await expect(bad.sendTest!(input(['qa@acme.example']))).rejects.toMatchObject({ code: 'E_AUTH' });
  });

  it('refuses recipients outside the allowed domains before connecting, and surfaces a refused mailbox', async () => {
    running = await startServer();
    const connector = smtp.create(config(running.port), {
      testSends: { allowedDomains: ['acme.example', 'unknown.example'] },
    });
    await expect(connector.sendTest!(input(['qa@gmail.example']))).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    expect(running.received).toHaveLength(0);
    await expect(connector.sendTest!(input(['nobody@unknown.example']))).rejects.toMatchObject({
      code: 'E_VALIDATION',
    });
  });

  it('needs the rendered email, and records instead of sending in a dry run', async () => {
    running = await startServer();
    const connector = smtp.create(config(running.port), { testSends });
    const { email: _email, ...withoutEmail } = input(['qa@acme.example']);
    await expect(connector.sendTest!(withoutEmail)).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'test.email' });
    const dryRun = createDryRunRecorder();
    await smtp.create(config(running.port), { testSends, dryRun }).sendTest!(input(['qa@acme.example']));
    expect(dryRun.records).toEqual([expect.objectContaining({ operation: 'sendTest', method: 'SMTP' })]);
    expect(running.received).toHaveLength(0);
  });

  it('answers E_UPSTREAM when no server listens', async () => {
    const probe = await startServer();
    const port = probe.port;
    await new Promise<void>((resolve) => {
      probe.server.close(() => {
        resolve();
      });
    });
    const result = await smtp.create(config(port), { testSends }).check();
    expect(result).toMatchObject({ ok: false, details: { code: 'E_UPSTREAM' } });
  });
});

describe('smtp conformance', () => {
  let shared: Awaited<ReturnType<typeof startServer>> | undefined;
  afterAll(async () => {
    await stop(shared);
  });
  describeConformance('smtp', {
    create: async ({ credentials, ...runtime }) => {
      shared ??= await startServer({ authOptional: false, authMethods: ['PLAIN', 'LOGIN'], allowInsecureAuth: true });
      return smtp.create(
        config(shared.port, {
          username: 'qa-bot',
          password: credentials === 'valid' ? 's3cret-pass' : 'wrong-pass-123',
        }),
        runtime,
      );
    },
    secrets: ['s3cret-pass'],
  });
});
