import { isHubspokeError } from '@hubspoke/core';
import { guardContract } from '../../testkit/vitest.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../sdk/http/logger.js';
import { createDryRunRecorder } from '../../sdk/http/dry-run.js';
import { createMemoryPublishStore } from '../../sdk/publish/publish-store.js';
import { FakeMarketo } from '../../testkit/fakes/marketo.js';
import { samplePushEmailInput } from '../../testkit/fixtures.js';
import { marketoContract } from '../../testkit/contracts/vendors.js';
import { BODY_SECTION_ID, marketo, withEditableSection } from './marketo.js';

let fake: FakeMarketo;
guardContract(() => fake);
const config = (url: string, overrides: Record<string, unknown> = {}) => ({
  baseUrl: url,
  clientId: 'marketo-client',
  clientSecret: 'marketo-secret',
  emailFolderId: 17,
  templateFolderId: 15,
  fromName: 'Acme',
  fromEmail: 'news@acme.example',
  replyEmail: 'reply@acme.example',
  exportPollMs: 5,
  ...overrides,
});
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 20, timeoutMs: 30_000 } };

beforeEach(async () => {
  fake = await new FakeMarketo({ callsPerWindow: 1000, windowMs: 1000 }).start();
});
afterEach(async () => {
  await fake.close();
});

describe('marketo connector', () => {
  it('checks credentials and reports bad ones as E_AUTH without throwing', async () => {
    const good = marketo.create(config(fake.url), fast);
    expect(await good.check()).toMatchObject({ ok: true });
    const bad = marketo.create(config(fake.url, { clientSecret: 'wrong' }), fast);
    const result = await bad.check();
    expect(result.ok).toBe(false);
    expect(result.details).toMatchObject({ code: 'E_AUTH' });
    expect(result.message).not.toContain('wrong');
  });

  it('reports missing credentials on check and throws E_AUTH on use', async () => {
    const { clientSecret: _omit, ...partial } = config(fake.url);
    const connector = marketo.create(partial, fast);
    expect(await connector.check()).toMatchObject({
      ok: false,
      details: { code: 'E_AUTH', missing: ['clientSecret'] },
    });
    await expect(connector.pushEmail!(samplePushEmailInput())).rejects.toMatchObject({
      code: 'E_AUTH',
      path: 'connectors.marketo.config.clientSecret',
    });
  });

  it('rejects invalid config with E_VALIDATION naming the key', () => {
    expect(() => marketo.create(config(fake.url, { emailFolderId: 'seventeen' }))).toThrow(
      /connectors\.marketo\.config\.emailFolderId/,
    );
  });

  it('creates a template and an email with the documented request shapes, then updates on re-push', async () => {
    const connector = marketo.create(config(fake.url, { approveEmails: true }), fast);
    const input = samplePushEmailInput(1);
    const first = await connector.pushEmail!(input);
    expect(first.created).toBe(true);

    const createTemplate = fake.requests.find((r) => r.path === '/rest/asset/v1/emailTemplates.json')!;
    expect(createTemplate.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(JSON.parse(createTemplate.form!.get('folder')!)).toEqual({ id: 15, type: 'Folder' });
    expect(createTemplate.files!.get('content')!.text).toContain(`id="${BODY_SECTION_ID}"`);
    const createEmail = fake.requests.find((r) => r.path === '/rest/asset/v1/emails.json')!;
    expect(createEmail.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(createEmail.headers.authorization).toMatch(/^Bearer /);
    expect(JSON.parse(createEmail.form!.get('folder')!)).toEqual({ id: 17, type: 'Program' });
    expect(createEmail.form!.get('subject')).toBe('Spring sale starts now');
    expect(createEmail.form!.get('name')).toBe('Campaign 1 [draft-1 v1 en]');
    const email = fake.emails.get(Number(first.remoteId))!;
    expect(email.status).toBe('approved');

    const second = await connector.pushEmail!({
      ...input,
      email: { ...input.email, subject: 'Updated subject', html: '<html><body><p>New body</p></body></html>' },
    });
    expect(second).toMatchObject({ remoteId: first.remoteId, created: false });
    expect(fake.emails.size).toBe(1);
    expect(email.subject).toBe('Updated subject');
    expect(email.sections[BODY_SECTION_ID]!.value).toBe('<p>New body</p>');
    expect(fake.templates.size).toBe(1);
  });

  it('updates the reply-to as replyTO, the field the contract names (replyEmail was silently ignored)', async () => {
    const connector = marketo.create(config(fake.url), fast);
    const first = await connector.pushEmail!(samplePushEmailInput(1));
    const changed = marketo.create(config(fake.url, { replyEmail: 'replies@acme.example' }), fast);
    await changed.pushEmail!(samplePushEmailInput(1), {});
    const update = fake.requests.find((r) => r.path === `/rest/asset/v1/email/${first.remoteId}/content.json`)!;
    expect(JSON.parse(update.form!.get('replyTO')!)).toEqual({ type: 'Text', value: 'replies@acme.example' });
    expect(update.form!.has('replyEmail')).toBe(false);
    // The old request, as the oracle sees it: refused.
    const old = new URLSearchParams(update.form);
    old.set('replyEmail', old.get('replyTO')!);
    old.delete('replyTO');
    expect(marketoContract().check({ ...update, body: old.toString(), form: old }).violations).toEqual([
      expect.objectContaining({ in: 'body', message: expect.stringMatching(/replyEmail is not in the contract/) }),
    ]);
  });

  describe('email script tokens (segment conditions)', () => {
    const token = {
      name: 'hubspoke_if_0123456789ab',
      script: `#set($hubspokeF0 = "$!{lead.Country}")#if($hubspokeF0 == 'DE')Hallo#{else}Hi#{end}`,
      fields: ['lead.Country'],
      context: 'html' as const,
    };
    const withTokens = (n = 1) => {
      const input = samplePushEmailInput(n);
      return {
        ...input,
        email: {
          ...input.email,
          html: `<html><body><p>{{my.${token.name}}}</p></body></html>`,
          scriptTokens: [token],
        },
      };
    };

    it('refuses the push before creating anything when the program lacks a token, naming it with its script', async () => {
      const connector = marketo.create(config(fake.url), fast);
      const error: unknown = await connector.pushEmail!(withTokens()).catch((e: unknown) => e);
      expect(isHubspokeError(error) && error.code).toBe('E_UNSUPPORTED');
      expect(error).toMatchObject({
        path: 'email.scriptTokens',
        message: expect.stringContaining(`my.${token.name}`),
        details: {
          folder: { id: 17, type: 'Program' },
          missing: [{ name: token.name, script: token.script, fields: ['lead.Country'] }],
          different: [],
        },
      });
      const read = fake.requests.find((r) => r.path === '/rest/asset/v1/folder/17/tokens.json')!;
      expect(read.method).toBe('GET');
      expect(read.query.get('folderType')).toBe('Program');
      expect(fake.templates.size).toBe(0);
      expect(fake.emails.size).toBe(0);
    });

    it('pushes once the program has the token with the same script, and refuses one edited by hand', async () => {
      const connector = marketo.create(config(fake.url), fast);
      fake.myTokens.set('Program:17', [
        { name: 'unrelated', type: 'text', value: 'x' },
        { name: token.name, type: 'script block', value: token.script },
      ]);
      const result = await connector.pushEmail!(withTokens());
      expect(result.created).toBe(true);
      expect(fake.emails.size).toBe(1);
      fake.myTokens.set('Program:17', [{ name: token.name, type: 'script block', value: '#if(true)other#end' }]);
      await expect(connector.pushEmail!(withTokens(2))).rejects.toMatchObject({
        code: 'E_UNSUPPORTED',
        details: { missing: [], different: [{ name: token.name }] },
      });
      expect(fake.emails.size).toBe(1);
    });

    it('does not read tokens for an email without conditions, and refuses malformed token lists', async () => {
      const connector = marketo.create(config(fake.url), fast);
      await connector.pushEmail!(samplePushEmailInput(1));
      expect(fake.requests.some((r) => r.path.includes('/tokens.json'))).toBe(false);
      const input = withTokens(3);
      await expect(
        connector.pushEmail!({ ...input, email: { ...input.email, scriptTokens: [{ ...token, name: 'bad name!' }] } }),
      ).rejects.toMatchObject({ code: 'E_VALIDATION', path: expect.stringMatching(/scriptTokens\[0\]\.name$/) });
    });
  });

  it('asks for the export columns it reads and sends the client credentials as the identity contract says', async () => {
    const connector = marketo.create(config(fake.url), fast);
    for await (const _row of connector.pullMetrics!({ since: '2026-03-01T00:00:00Z', until: '2026-03-02T00:00:00Z' }));
    const token = fake.requests.find((r) => r.path === '/identity/oauth/token')!;
    expect(token.query.get('grant_type')).toBe('client_credentials');
    const create = fake.requests.find((r) => r.path === '/bulk/v1/activities/export/create.json')!;
    expect((create.json as { fields: string[] }).fields).toContain('primaryAttributeValueId');
  });

  it('refreshes an expired or revoked token (602/601) and retries', async () => {
    await fake.close();
    fake = await new FakeMarketo({ callsPerWindow: 1000, windowMs: 1000 }).start();
    const logger = memoryLogger();
    const connector = marketo.create(config(fake.url), { ...fast, logger });
    await connector.pushEmail!(samplePushEmailInput(1));
    fake.expireTokens();
    await connector.pushEmail!(samplePushEmailInput(2)); // token expired: 602 → new token
    fake.revokeTokens();
    await connector.pushEmail!(samplePushEmailInput(3)); // 601 → new token
    expect(fake.emails.size).toBe(3);
    const refreshes = logger.records.filter((r) => r.event === 'auth.refresh');
    expect(refreshes.map((r) => r.vendorCode)).toEqual(expect.arrayContaining(['602', '601']));
    expect(fake.requests.filter((r) => r.path === '/identity/oauth/token').length).toBeGreaterThanOrEqual(3);
  });

  it('waits out 606/615 answers instead of surfacing them', async () => {
    const connector = marketo.create(config(fake.url), fast);
    fake.inject({ kind: 'throttle' }).inject({ kind: 'throttle' });
    const result = await connector.pushEmail!(samplePushEmailInput(1));
    expect(result.created).toBe(true);
    expect(fake.injected.throttle).toBe(2);
  });

  it('surfaces the daily quota (607) as E_RATE_LIMITED without retrying', async () => {
    await fake.close();
    fake = await new FakeMarketo({ dailyQuota: 1 }).start();
    const connector = marketo.create(config(fake.url), fast);
    const error = await connector.pushEmail!(samplePushEmailInput(1)).catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_RATE_LIMITED')).toBe(true);
    expect((error as Error).message).toMatch(/607.*daily quota/i);
  });

  it('adopts the asset when a create succeeded but its answer was lost', async () => {
    const connector = marketo.create(config(fake.url), fast);
    fake.inject({ kind: 'reset', after: true, match: (r) => r.path === '/rest/asset/v1/emails.json' });
    const result = await connector.pushEmail!(samplePushEmailInput(1));
    expect(fake.emails.size).toBe(1);
    expect(result.remoteId).toBe(String([...fake.emails.keys()][0]));
    expect(fake.requests.some((r) => r.path === '/rest/asset/v1/email/byName.json')).toBe(true);
  });

  it('keeps the mapping across connector instances through a shared store', async () => {
    const store = createMemoryPublishStore();
    const first = await marketo.create(config(fake.url), { ...fast, store }).pushEmail!(samplePushEmailInput(1));
    const again = await marketo.create(config(fake.url), { ...fast, store }).pushEmail!(samplePushEmailInput(1));
    expect(again).toMatchObject({ remoteId: first.remoteId, created: false });
    expect(fake.emails.size).toBe(1);
  });

  it('records instead of sending in dry-run mode, with secrets redacted', async () => {
    const dryRun = createDryRunRecorder();
    const connector = marketo.create(config(fake.url), { ...fast, dryRun });
    const result = await connector.pushEmail!(samplePushEmailInput(1));
    expect(result.remoteId).toBe('dry-run');
    expect(fake.requests).toHaveLength(0);
    expect(dryRun.records.map((r) => r.operation)).toEqual(['createTemplate', 'approve emailTemplate', 'createEmail']);
    expect(JSON.stringify(dryRun.records)).not.toContain('marketo-secret');
  });

  it('validates pushes before sending anything', async () => {
    const connector = marketo.create(config(fake.url), fast);
    await expect(connector.pushEmail!({ ...samplePushEmailInput(1), locale: 'english!' })).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'email.locale',
    });
    await expect(connector.pushEmail!(samplePushEmailInput(1, { folder: '../etc' }))).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'email.folder',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('cancels through an AbortSignal with E_ABORTED', async () => {
    const connector = marketo.create(config(fake.url), fast);
    const controller = new AbortController();
    fake.inject({ kind: 'timeout' });
    const pending = connector.pushEmail!(samplePushEmailInput(1), { signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 50);
    await expect(pending).rejects.toMatchObject({ code: 'E_ABORTED' });
  });

  it('pulls metrics through the bulk activity export and maps them back to drafts', async () => {
    const store = createMemoryPublishStore();
    const connector = marketo.create(config(fake.url), { ...fast, store });
    const pushed = await connector.pushEmail!(samplePushEmailInput(1, { locale: 'de-DE' }));
    const id = Number(pushed.remoteId);
    const at = '2026-03-02T10:00:00Z';
    const act = (activityTypeId: number, leadId: number) => ({
      activityTypeId,
      leadId,
      activityDate: at,
      primaryAttributeValueId: id,
      primaryAttributeValue: 'Campaign 1, "quoted"',
    });
    fake.activities.push(
      act(6, 1),
      act(6, 2),
      act(6, 3),
      act(7, 1),
      act(7, 2),
      act(8, 3),
      act(10, 1),
      act(10, 1),
      act(10, 2),
      act(11, 1),
      act(9, 2),
    );
    fake.activities.push({ ...act(6, 9), primaryAttributeValueId: 4242 });
    const rows = [];
    for await (const row of connector.pullMetrics!({ since: '2026-03-01T00:00:00Z', until: '2026-03-03T00:00:00Z' }))
      rows.push(row);
    const mine = rows.find((r) => r.campaignId === 'draft-1')!;
    expect(mine).toMatchObject({
      locale: 'de-DE',
      platform: 'marketo',
      sent: 3,
      delivered: 2,
      hardBounces: 1,
      uniqueOpens: 2,
      totalOpens: 3,
      uniqueClicks: 1,
      totalClicks: 1,
      unsubscribes: 1,
    });
    expect(rows.find((r) => r.campaignId === 'marketo-4242')).toMatchObject({ sent: 1 });
    const create = fake.requests.find((r) => r.path === '/bulk/v1/activities/export/create.json')!;
    expect(create.json).toMatchObject({
      format: 'CSV',
      filter: { createdAt: { startAt: '2026-03-01T00:00:00Z', endAt: '2026-03-03T00:00:00Z' } },
    });
  });

  it('splits metric ranges longer than 31 days into several exports', async () => {
    const connector = marketo.create(config(fake.url), fast);
    const progress: string[] = [];
    for await (const row of connector.pullMetrics!(
      { since: '2026-01-01T00:00:00Z', until: '2026-03-15T00:00:00Z' },
      { onProgress: (d, t) => progress.push(`${d}/${t}`) },
    ))
      expect(row.campaignId).toBeTypeOf('string');
    expect(fake.requests.filter((r) => r.path === '/bulk/v1/activities/export/create.json')).toHaveLength(3);
    expect(progress).toEqual(['1/3', '2/3', '3/3']);
  });
});

describe('withEditableSection', () => {
  it('wraps the body when the HTML has no editable section, and leaves Marketo templates alone', () => {
    expect(withEditableSection('<html><body class="x"><p>Hi</p></body></html>')).toEqual({
      html: `<html><body class="x"><div class="mktEditable" id="${BODY_SECTION_ID}"><p>Hi</p></div></body></html>`,
      bodySection: { inner: '<p>Hi</p>' },
    });
    const own = '<html><body><div class="mktoText" id="t1">x</div></body></html>';
    expect(withEditableSection(own)).toEqual({ html: own });
    expect(withEditableSection('<p>fragment</p>').bodySection).toEqual({ inner: '<p>fragment</p>' });
  });
});
