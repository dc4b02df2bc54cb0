import { randomUUID } from 'node:crypto';
import { contractFor } from '../contracts/vendors.js';
import { FakeServer, type FakeRequest, type FakeResponse } from '../fake-server.js';

/** A fake of Slack's `auth.test` and `chat.postMessage` (bot token) and of an incoming webhook. */
export class FakeSlack extends FakeServer {
  readonly messages: { channel?: string; text: string; blocks: unknown[]; via: 'api' | 'webhook' }[] = [];
  readonly webhookPath = `/services/T000/B000/${randomUUID().replace(/-/g, '')}`;
  readonly channels = new Set(['C0HUBSPOKE']);

  constructor(readonly botToken = 'xoxb-fake-token') {
    super({
      contract: contractFor('slack'),
      rejectResponse: (violations) =>
        violations.some((v) => v.operation === 'slackIncomingWebhook')
          ? { status: 400, text: 'invalid_payload' }
          : {
              json: {
                ok: false,
                error: 'invalid_arguments',
                response_metadata: { messages: violations.map((v) => v.message) },
              },
            },
      throttleResponse: () => ({
        status: 429,
        headers: { 'Retry-After': '0' },
        json: { ok: false, error: 'ratelimited' },
      }),
    });
    const authed = (req: FakeRequest) => req.headers.authorization === `Bearer ${this.botToken}`;
    this.route('POST', '/api/auth.test', (req) =>
      authed(req)
        ? { json: { ok: true, team: 'Acme', user: 'hubspoke', team_id: 'T000' } }
        : { json: { ok: false, error: 'invalid_auth' } },
    );
    this.route('POST', '/api/chat.postMessage', (req) => {
      if (req.headers.authorization === undefined) return { json: { ok: false, error: 'not_authed' } };
      if (!authed(req)) return { json: { ok: false, error: 'invalid_auth' } };
      if (!req.headers['content-type']?.startsWith('application/json'))
        return { json: { ok: false, error: 'invalid_arguments' } };
      const body = req.json as { channel?: unknown; text?: unknown; blocks?: unknown };
      if (typeof body.channel !== 'string' || !this.channels.has(body.channel))
        return { json: { ok: false, error: 'channel_not_found' } };
      const invalid = checkMessage(body);
      if (invalid !== undefined) return { json: { ok: false, error: 'invalid_blocks', errors: [invalid] } };
      this.messages.push({
        channel: body.channel,
        text: body.text as string,
        blocks: body.blocks as unknown[],
        via: 'api',
      });
      return { json: { ok: true, channel: body.channel, ts: `${Date.now() / 1000}` } };
    });
    this.route('POST', '/services/:team/:bot/:secret', (req): FakeResponse => {
      if (req.path !== this.webhookPath) return { status: 403, text: 'invalid_token' };
      const invalid = checkMessage(req.json as { text?: unknown; blocks?: unknown });
      if (invalid !== undefined) return { status: 400, text: 'invalid_payload' };
      const body = req.json as { text: string; blocks: unknown[] };
      this.messages.push({ text: body.text, blocks: body.blocks, via: 'webhook' });
      return { text: 'ok' };
    });
  }
}

/** Block Kit limits the fake enforces (header ≤150, section ≤3000, button text ≤75). */
function checkMessage(body: { text?: unknown; blocks?: unknown }): string | undefined {
  if (typeof body.text !== 'string' || body.text === '') return 'text (the notification fallback) is required';
  if (!Array.isArray(body.blocks)) return 'blocks must be an array';
  for (const block of body.blocks as {
    type?: string;
    text?: { type?: string; text?: string };
    elements?: { text?: { text?: string }; url?: string }[];
  }[]) {
    if (block.type === 'header' && (block.text?.type !== 'plain_text' || (block.text.text?.length ?? 0) > 150))
      return 'header must be plain_text ≤150';
    if (block.type === 'section' && (block.text?.type !== 'mrkdwn' || (block.text.text?.length ?? 0) > 3000))
      return 'section must be mrkdwn ≤3000';
    if (
      block.type === 'actions' &&
      block.elements?.some((e) => (e.text?.text?.length ?? 0) > 75 || !/^https?:\/\//.test(e.url ?? ''))
    )
      return 'buttons need text ≤75 and an http(s) url';
  }
  return undefined;
}

/** A fake Microsoft Teams incoming webhook (Workflows) that accepts Adaptive Card messages with 202. */
export class FakeTeams extends FakeServer {
  readonly cards: Record<string, unknown>[] = [];
  readonly webhookPath = `/workflows/${randomUUID()}/triggers/manual/paths/invoke`;

  constructor() {
    super({
      contract: contractFor('teams'),
      rejectResponse: (violations) => ({ status: 400, text: violations.map((v) => v.message).join('; ') }),
    });
    this.route('POST', '/workflows/:id/triggers/manual/paths/invoke', (req) => {
      if (req.path !== this.webhookPath)
        return {
          status: 404,
          json: { error: { code: 'WorkflowNotFound', message: 'The workflow could not be found.' } },
        };
      const body = req.json as
        | {
            type?: unknown;
            attachments?: { contentType?: unknown; content?: { type?: unknown; version?: unknown; body?: unknown } }[];
          }
        | undefined;
      const card = body?.attachments?.[0];
      if (
        body?.type !== 'message' ||
        card?.contentType !== 'application/vnd.microsoft.card.adaptive' ||
        card.content?.type !== 'AdaptiveCard' ||
        !Array.isArray(card.content.body)
      ) {
        return {
          status: 400,
          json: {
            error: { code: 'InvalidRequestContent', message: 'expected a message with an Adaptive Card attachment' },
          },
        };
      }
      this.cards.push(card.content);
      return { status: 202 };
    });
  }

  get webhookUrl(): string {
    return this.url + this.webhookPath;
  }
}
