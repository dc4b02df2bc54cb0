import { HubspokeError, type CallOptions, type CheckResult, type NotifyInput } from '@hubspoke/core';
import { z } from 'zod';
import { bearerAuth } from '../../sdk/http/auth.js';
import { defineConnector, type ConnectorContext } from '../../sdk/define-connector.js';
import { classifyStatus, type ClassifyInput, type HttpClient, type Verdict } from '../../sdk/http/http-client.js';
import { expectBody } from '../../sdk/http/response.js';

export const SlackConfigSchema = z
  .object({
    /** A bot token (`xoxb-…`) with `chat:write`; use with `channel`. */
    botToken: z.string().min(1).optional(),
    /** Channel id such as `C0123456789`. */
    channel: z.string().min(1).max(80).optional(),
    /** Or an incoming webhook URL (it is a secret: anyone with it can post). */
    webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
    apiBaseUrl: z.url({ protocol: /^https?$/ }).default('https://slack.com/api/'),
  })
  .strict();
export type SlackConfig = z.output<typeof SlackConfigSchema>;

/** Slack mrkdwn control characters; escaping them keeps `<!channel>` or `<url|label>` from being sent as markup. */
export const escapeSlack = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Block Kit message: header, text section, and link buttons. */
export function slackBlocks(input: NotifyInput): { text: string; blocks: Record<string, unknown>[] } {
  const title = input.title.slice(0, 150);
  const text = escapeSlack(input.text).slice(0, 3000);
  const buttons = [...(input.url === undefined ? [] : [{ label: 'Open', url: input.url }]), ...(input.actions ?? [])];
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: title, emoji: false } },
  ];
  if (text !== '') blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  if (buttons.length > 0) {
    blocks.push({
      type: 'actions',
      elements: buttons.map((b) => ({
        type: 'button',
        text: { type: 'plain_text', text: b.label.slice(0, 75), emoji: false },
        url: b.url,
      })),
    });
  }
  // The fallback text (notifications, screen readers) is mrkdwn too: escaped like the section.
  return { text: escapeSlack(`${title}: ${input.text}`).slice(0, 3000), blocks };
}

const AUTH_ERRORS = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'invalid_token',
  'action_prohibited',
  'no_service',
]);

/** The Web API answers HTTP 200 with `{ ok: false, error }`; webhooks use HTTP statuses with a text code. */
export function classifySlack(input: ClassifyInput): Verdict {
  const body = input.body as { ok?: unknown; error?: unknown } | string | undefined;
  const code = typeof body === 'string' ? body.trim() : typeof body?.error === 'string' ? body.error : '';
  if (input.status === 429 || code === 'ratelimited' || code === 'rate_limited')
    return { kind: 'rate-limited', reason: code || 'HTTP 429', vendorCode: code };
  if (AUTH_ERRORS.has(code)) return { kind: 'fail', code: 'E_AUTH', reason: code, vendorCode: code };
  if (input.status !== 200) return classifyStatus(input, code);
  if (typeof body === 'object' && body.ok === false) {
    if (code === 'internal_error' || code === 'fatal_error' || code === 'service_unavailable')
      return { kind: 'retry', reason: code, vendorCode: code };
    if (code === 'channel_not_found' || code === 'not_in_channel' || code === 'is_archived')
      return { kind: 'fail', code: 'E_NOT_FOUND', reason: code, vendorCode: code };
    return { kind: 'fail', code: 'E_VALIDATION', reason: code, vendorCode: code };
  }
  return { kind: 'ok' };
}

const OkSchema = z.object({ ok: z.literal(true) }).loose();

class Slack {
  private readonly api: HttpClient | undefined;
  private readonly hook: HttpClient;

  constructor(private readonly ctx: ConnectorContext<SlackConfig>) {
    const { botToken, apiBaseUrl } = ctx.config;
    this.api =
      botToken === undefined
        ? undefined
        : ctx.http({ baseUrl: apiBaseUrl, classify: classifySlack, auth: bearerAuth(botToken) });
    this.hook = ctx.http({ classify: classifySlack });
  }

  private missing(): HubspokeError {
    return new HubspokeError(
      'E_AUTH',
      `Slack: set botToken and channel, or webhookUrl, in connectors.${this.ctx.instance}.config`,
      { path: `connectors.${this.ctx.instance}.config.botToken` },
    );
  }

  async check({ signal }: CallOptions): Promise<CheckResult> {
    if (this.api !== undefined) {
      if (this.ctx.config.channel === undefined)
        throw new HubspokeError('E_VALIDATION', 'Slack: a botToken needs a channel id', {
          path: `connectors.${this.ctx.instance}.config.channel`,
        });
      const res = await this.api.send(
        {
          method: 'POST',
          url: 'auth.test',
          operation: 'auth.test',
          idempotent: true,
          dryRunBody: { ok: true, team: 'dry-run' },
        },
        signal,
      );
      const who = expectBody(OkSchema.extend({ team: z.string().optional() }), res.body, 'Slack auth.test');
      return {
        ok: true,
        message: `Connected to Slack workspace ${who.team ?? ''}`.trim(),
        details: { team: who.team },
      };
    }
    if (this.ctx.config.webhookUrl !== undefined)
      return { ok: true, message: 'Slack incoming webhook configured (not called: any call would post a message)' };
    throw this.missing();
  }

  async notify(input: NotifyInput, { signal }: CallOptions): Promise<void> {
    const message = slackBlocks(input);
    const { channel, webhookUrl } = this.ctx.config;
    if (this.api !== undefined && channel !== undefined) {
      // Messages are sent at least once: a lost answer is retried, which may post twice, rather than lose a review request.
      await this.api.send(
        {
          method: 'POST',
          url: 'chat.postMessage',
          operation: 'chat.postMessage',
          idempotent: true,
          headers: { 'Content-Type': 'application/json; charset=utf-8' },
          json: { channel, ...message, unfurl_links: false },
        },
        signal,
      );
      return;
    }
    if (webhookUrl === undefined) throw this.missing();
    await this.hook.send(
      {
        method: 'POST',
        url: webhookUrl,
        operation: 'incomingWebhook',
        idempotent: true,
        json: message,
        responseType: 'text',
      },
      signal,
    );
  }
}

/** Slack: approval requests and decisions as Block Kit messages (bot token + `chat.postMessage`, or an incoming webhook). */
export const slack = defineConnector({
  manifest: {
    id: 'slack',
    name: 'Slack',
    version: '0.1.0',
    kind: 'chat',
    description: 'Posts review requests, reminders and decisions as Block Kit messages.',
    secrets: ['botToken', 'webhookUrl'],
    capabilities: ['check', 'notify'],
    // chat.postMessage: about one message per second per channel.
    limits: { callsPerWindow: 1, windowMs: 1000, concurrency: 1 },
    docsUrl: 'https://api.slack.com/methods/chat.postMessage',
  },
  config: SlackConfigSchema,
  create: (ctx) => new Slack(ctx),
});
