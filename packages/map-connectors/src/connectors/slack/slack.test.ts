import { describe, expect, it } from 'vitest';
import { applyWorkflowEffect } from '../../sdk/effects.js';
import { describeConformance, useFakeServer } from '../../testkit/vitest.js';
import { FakeSlack } from '../../testkit/fakes/chat.js';
import { escapeSlack, slack } from './slack.js';
import { fastTestRuntime } from '../../testkit/fixtures.js';

const fake = useFakeServer(new FakeSlack());
const fast = {
  // No faults here depend on time: answers get the long test timeout, however slow the machine.
  retry: fastTestRuntime.retry,
  limits: { callsPerWindow: 100, windowMs: 100 },
};
const botConfig = (token = fake.botToken) => ({
  botToken: token,
  channel: 'C0HUBSPOKE',
  apiBaseUrl: `${fake.url}/api/`,
});

describe('slack connector', () => {
  it('posts a Block Kit message with chat.postMessage and a bot token', async () => {
    const connector = slack.create(botConfig(), fast);
    expect(await connector.check()).toMatchObject({ ok: true, message: 'Connected to Slack workspace Acme' });
    await connector.notify!({
      title: 'Review requested',
      text: 'Spring sale <!channel> & <https://evil.example|click>',
      actions: [{ label: 'Approve', url: 'https://hub.example/s/1' }],
    });
    const request = fake.requests.find((r) => r.path === '/api/chat.postMessage')!;
    expect(request.headers.authorization).toBe(`Bearer ${fake.botToken}`);
    const message = fake.messages.at(-1)!;
    expect(message.channel).toBe('C0HUBSPOKE');
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Review requested', emoji: false } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'Spring sale &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;' },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Approve', emoji: false },
            url: 'https://hub.example/s/1',
          },
        ],
      },
    ]);
    // The fallback text shows in notifications: it must not ping the channel or spoof a link either.
    expect(message.text).toBe(
      'Review requested: Spring sale &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;',
    );
  });

  it('posts through an incoming webhook', async () => {
    await slack.create({ webhookUrl: fake.url + fake.webhookPath }, fast).notify!({
      title: 'Approved',
      text: 'Spring sale v3 is approved',
    });
    expect(fake.messages.at(-1)).toMatchObject({ via: 'webhook', text: 'Approved: Spring sale v3 is approved' });
    await expect(
      slack.create({ webhookUrl: `${fake.url}/services/T000/B000/wrong` }, fast).notify!({ title: 'x', text: 'y' }),
    ).rejects.toMatchObject({ code: 'E_AUTH' });
  });

  it('maps Slack errors: invalid_auth → E_AUTH, channel_not_found → E_NOT_FOUND, 429 waited out', async () => {
    expect(await slack.create(botConfig('xoxb-wrong'), fast).check()).toMatchObject({
      ok: false,
      details: { code: 'E_AUTH', vendorCode: 'invalid_auth' },
    });
    await expect(
      slack.create({ ...botConfig(), channel: 'C404' }, fast).notify!({ title: 'x', text: 'y' }),
    ).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    fake.inject({ kind: 'throttle' });
    await slack.create(botConfig(), fast).notify!({ title: 'after 429', text: 'ok' });
    expect(fake.messages.at(-1)?.text).toBe('after 429: ok');
  });

  it('says which credentials are missing, and refuses non-http links', async () => {
    expect(await slack.create({}, fast).check()).toMatchObject({ ok: false, details: { code: 'E_AUTH' } });
    await expect(
      slack.create(botConfig(), fast).notify!({ title: 'x', text: 'y', url: 'javascript:alert(1)' }),
    ).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'message.url' });
  });

  it('turns a workflow notify effect into a message', async () => {
    const outcome = await applyWorkflowEffect(slack.create(botConfig(), fast), {
      type: 'notify',
      submissionId: 'sub-1',
      to: ['lena'],
      reason: 'review-requested',
      message: 'Please review Spring sale',
    });
    expect(outcome.status).toBe('done');
    expect(fake.messages.at(-1)?.text).toContain('Review requested: Please review Spring sale');
    const skipped = await applyWorkflowEffect(slack.create(botConfig(), fast), {
      type: 'closeTask',
      taskKey: 'k',
      submissionId: 's',
      stageId: 'legal',
      outcome: 'approved',
    });
    expect(skipped).toMatchObject({ status: 'skipped' });
  });

  it('escapes every mrkdwn control character', () => {
    expect(escapeSlack('<@U1> & <#C1>')).toBe('&lt;@U1&gt; &amp; &lt;#C1&gt;');
  });
});

describeConformance('slack', {
  create: ({ credentials, ...runtime }) =>
    slack.create(botConfig(credentials === 'valid' ? fake.botToken : 'xoxb-invalid'), { ...runtime, ...fast }),
  secrets: [fake.botToken],
  injectFault: (fault) =>
    fake.inject({ kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'throttle' : 'http400' }),
});
