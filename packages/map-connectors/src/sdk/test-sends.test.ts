import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { marketo } from '../connectors/marketo/marketo.js';
import { FakeMarketo } from '../testkit/fakes/marketo.js';
import { fastTestRuntime, samplePng, samplePushEmailInput } from '../testkit/fixtures.js';
import { guardContract } from '../testkit/vitest.js';
import type { TestSendAudit } from './define-connector.js';
import { createMemoryPublishStore } from './publish/publish-store.js';

const PNG = samplePng;

let fake: FakeMarketo;
guardContract(() => fake);
beforeEach(async () => {
  fake = await new FakeMarketo({ callsPerWindow: 1000, windowMs: 1000 }).start();
});
afterEach(async () => {
  await fake.close();
});

const config = () => ({
  baseUrl: fake.url,
  clientId: 'marketo-client',
  clientSecret: 'marketo-secret',
  emailFolderId: 17,
  templateFolderId: 15,
  fromName: 'Acme',
  fromEmail: 'news@acme.example',
  replyEmail: 'reply@acme.example',
});
const test = { draftId: 'draft-1', draftVersion: 1, locale: 'en', seedList: 'emea' };

describe('sendTest (v1.1)', () => {
  it('sends the pushed email to each seed address and audits the request and its outcome', async () => {
    const audit: TestSendAudit[] = [];
    const store = createMemoryPublishStore();
    const connector = marketo.create(config(), {
      ...fastTestRuntime,
      store,
      testSends: { allowedDomains: ['acme.example'], audit: (r) => void audit.push(r) },
    });
    expect(connector.manifest.specificationVersion).toBe('v1.1');
    const pushed = await connector.pushEmail!(samplePushEmailInput(1));
    const result = await connector.sendTest!({ ...test, recipients: ['qa@acme.example', 'legal@acme.example'] });
    expect(result).toEqual({ remoteId: pushed.remoteId, sent: ['qa@acme.example', 'legal@acme.example'] });
    expect(fake.samples).toEqual([
      { emailId: Number(pushed.remoteId), emailAddress: 'qa@acme.example' },
      { emailId: Number(pushed.remoteId), emailAddress: 'legal@acme.example' },
    ]);
    expect(audit.map((a) => a.outcome)).toEqual(['requested', 'sent']);
    expect(audit[0]).toMatchObject({ connector: 'marketo', draftId: 'draft-1', seedList: 'emea' });
  });

  it('refuses recipients outside the allowed domains before anything is sent, and audits the refusal', async () => {
    const audit: TestSendAudit[] = [];
    const connector = marketo.create(config(), {
      ...fastTestRuntime,
      testSends: { allowedDomains: ['acme.example'], audit: (r) => void audit.push(r) },
    });
    await connector.pushEmail!(samplePushEmailInput(1));
    const before = fake.requests.length;
    await expect(
      connector.sendTest!({ ...test, recipients: ['qa@acme.example', 'someone@gmail.example'] }),
    ).rejects.toMatchObject({ code: 'E_FORBIDDEN', path: 'test.recipients[1]' });
    expect(fake.requests.length).toBe(before);
    expect(audit).toEqual([expect.objectContaining({ outcome: 'refused', code: 'E_FORBIDDEN' })]);
  });

  it('is off without allowed domains, refuses an email that was never pushed, and caps sends per hour', async () => {
    await expect(
      marketo.create(config(), fastTestRuntime).sendTest!({ ...test, recipients: ['qa@acme.example'] }),
    ).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    let now = Date.parse('2026-03-01T10:00:00Z');
    const connector = marketo.create(config(), {
      ...fastTestRuntime,
      now: () => now,
      testSends: { allowedDomains: ['acme.example'], maxPerHour: 2 },
    });
    await expect(connector.sendTest!({ ...test, recipients: ['qa@acme.example'] })).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'test.draftId',
    });
    await connector.pushEmail!(samplePushEmailInput(1));
    await connector.sendTest!({ ...test, recipients: ['qa@acme.example'] });
    await expect(connector.sendTest!({ ...test, recipients: ['qa@acme.example'] })).rejects.toMatchObject({
      code: 'E_RATE_LIMITED',
    });
    now += 3_600_001;
    await connector.sendTest!({ ...test, recipients: ['qa@acme.example'] });
    expect(fake.samples).toHaveLength(2);
  });

  it('does not send when the audit cannot record the request', async () => {
    const connector = marketo.create(config(), {
      ...fastTestRuntime,
      testSends: {
        allowedDomains: ['acme.example'],
        audit: (r) => {
          if (r.outcome === 'requested') throw new Error('audit log unavailable');
        },
      },
    });
    await connector.pushEmail!(samplePushEmailInput(1));
    await expect(connector.sendTest!({ ...test, recipients: ['qa@acme.example'] })).rejects.toThrow(/audit log/);
    expect(fake.samples).toHaveLength(0);
  });
});

describe('uploadAsset (v1.1)', () => {
  const sha = createHash('sha256').update(Buffer.from(PNG, 'base64')).digest('hex');

  it('uploads an image once per SHA-256 and answers its hosted URL', async () => {
    const connector = marketo.create(config(), fastTestRuntime);
    const first = await connector.uploadAsset!({ name: 'hero.png', contentType: 'image/png', data: PNG, sha256: sha });
    expect(first).toMatchObject({ created: true, sha256: sha, url: expect.stringMatching(/^https:\/\//) });
    const again = await connector.uploadAsset!({ name: 'hero-copy.png', contentType: 'image/png', data: PNG });
    expect(again).toEqual({ ...first, created: false });
    expect(fake.files.size).toBe(1);
    const stored = [...fake.files.values()][0]!;
    expect(stored.bytes.equals(Buffer.from(PNG, 'base64'))).toBe(true);
    expect(stored).toMatchObject({ contentType: 'image/png', folder: { id: 15, type: 'Folder' } });
  });

  it('refuses bytes that are not the type they claim, a wrong SHA-256 and unsafe names, sending nothing', async () => {
    const connector = marketo.create(config(), fastTestRuntime);
    const html = Buffer.from('<svg onload="alert(1)">').toString('base64');
    await expect(connector.uploadAsset!({ name: 'x.png', contentType: 'image/png', data: html })).rejects.toMatchObject(
      {
        code: 'E_VALIDATION',
        path: 'asset.data',
      },
    );
    await expect(
      connector.uploadAsset!({ name: 'x.png', contentType: 'image/png', data: PNG, sha256: '0'.repeat(64) }),
    ).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'asset.sha256' });
    await expect(
      connector.uploadAsset!({ name: '../x.png', contentType: 'image/png', data: PNG }),
    ).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'asset.name' });
    expect(fake.requests).toHaveLength(0);
  });

  it('adopts a file whose upload answer was lost instead of uploading it twice', async () => {
    const connector = marketo.create(config(), fastTestRuntime);
    fake.inject({ kind: 'reset', after: true, match: (r) => r.path === '/rest/asset/v1/files.json' });
    const result = await connector.uploadAsset!({ name: 'hero.png', contentType: 'image/png', data: PNG });
    expect(fake.files.size).toBe(1);
    expect(result.remoteId).toBe(String([...fake.files.keys()][0]));
  });
});
