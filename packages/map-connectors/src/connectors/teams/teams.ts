import { HubspokeError, type CallOptions, type CheckResult, type NotifyInput } from '@hubspoke/core';
import { z } from 'zod';
import { defineConnector, type ConnectorContext } from '../../sdk/define-connector.js';
import type { HttpClient } from '../../sdk/http/http-client.js';

export const TeamsConfigSchema = z
  .object({
    /** The incoming webhook URL of a Teams channel (a Workflows "when a webhook request is received" flow). It is a secret. */
    webhookUrl: z.url({ protocol: /^https?$/ }),
  })
  .strict();
export type TeamsConfig = z.output<typeof TeamsConfigSchema>;

/** Backslash-escapes the markdown Adaptive Card text blocks interpret, so user text cannot become links or formatting. */
export const escapeTeamsMarkdown = (text: string) => text.replace(/[\\`*_{}[\]()#+\-.!|>~]/g, (c) => `\\${c}`);

/** The webhook payload: a message with one Adaptive Card (title, text, link buttons). */
export function teamsCard(input: NotifyInput): Record<string, unknown> {
  const buttons = [...(input.url === undefined ? [] : [{ label: 'Open', url: input.url }]), ...(input.actions ?? [])];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: escapeTeamsMarkdown(input.title), weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: escapeTeamsMarkdown(input.text), wrap: true },
          ],
          actions: buttons.map((b) => ({ type: 'Action.OpenUrl', title: b.label, url: b.url })),
        },
      },
    ],
  };
}

class Teams {
  private readonly hook: HttpClient;

  constructor(private readonly ctx: ConnectorContext<TeamsConfig>) {
    this.hook = ctx.http({});
  }

  check(): Promise<CheckResult> {
    if (
      !this.ctx.config.webhookUrl.startsWith('https://') &&
      !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(this.ctx.config.webhookUrl)
    ) {
      throw new HubspokeError('E_VALIDATION', 'Teams: webhookUrl must use https', {
        path: `connectors.${this.ctx.instance}.config.webhookUrl`,
      });
    }
    return Promise.resolve({
      ok: true,
      message: 'Teams incoming webhook configured (not called: any call would post a message)',
    });
  }

  async notify(input: NotifyInput, { signal }: CallOptions): Promise<void> {
    // At least once: a lost answer is retried (a card may be posted twice) rather than lose a review request.
    await this.hook.send(
      {
        method: 'POST',
        url: this.ctx.config.webhookUrl,
        operation: 'incomingWebhook',
        idempotent: true,
        json: teamsCard(input),
        responseType: 'text',
      },
      signal,
    );
  }
}

/** Microsoft Teams: review requests and decisions as Adaptive Cards through an incoming webhook. */
export const teams = defineConnector({
  manifest: {
    id: 'teams',
    name: 'Microsoft Teams',
    version: '0.1.0',
    kind: 'chat',
    description: 'Posts review requests, reminders and decisions as Adaptive Cards to a channel webhook.',
    secrets: ['webhookUrl'],
    capabilities: ['check', 'notify'],
    limits: { callsPerWindow: 4, windowMs: 1000, concurrency: 1 },
    docsUrl: 'https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook',
  },
  config: TeamsConfigSchema,
  create: (ctx) => new Teams(ctx),
});
