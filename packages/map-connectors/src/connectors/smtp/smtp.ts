import {
  HubspokeError,
  type CallOptions,
  type CheckResult,
  type ErrorCode,
  type SendTestInput,
  type SendTestResult,
} from '@hubspoke/core';
import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';
import { defineConnector, type ConnectorContext } from '../../sdk/define-connector.js';

export const SmtpConfigSchema = z
  .object({
    host: z.string().min(1).max(253),
    /** 587 (submission, STARTTLS), 465 (`secure: true`) or 25. */
    port: z.number().int().min(1).max(65_535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless the connection is upgraded with STARTTLS (default true; turn off only for a local test server). */
    requireTLS: z.boolean().default(true),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** The sender, e.g. `Hubspoke QA <qa@acme.example>`. */
    from: z.string().min(3).max(320),
    /** Added before the subject so a seed inbox tells tests apart. */
    subjectPrefix: z.string().max(40).default('[TEST] '),
    timeoutMs: z.number().int().min(100).max(120_000).default(30_000),
  })
  .strict();
export type SmtpConfig = z.output<typeof SmtpConfigSchema>;

/** nodemailer's error codes → Hubspoke's. */
function toError(error: unknown, what: string): HubspokeError {
  const e = error as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const mapped: ErrorCode =
    code === 'EAUTH' || code === 'ENOAUTH'
      ? 'E_AUTH'
      : code === 'ETIMEDOUT'
        ? 'E_TIMEOUT'
        : code === 'EENVELOPE' || (status !== undefined && status >= 500 && status < 600)
          ? 'E_VALIDATION'
          : 'E_UPSTREAM';
  const message = typeof e.message === 'string' ? e.message : String(error);
  return new HubspokeError(mapped, `SMTP ${what}: ${message}`, {
    details: { vendorCode: code, ...(status === undefined ? {} : { status }) },
  });
}

class Smtp {
  private readonly transport: Transporter;

  constructor(private readonly ctx: ConnectorContext<SmtpConfig>) {
    const { host, port, secure, requireTLS, username, password, timeoutMs } = ctx.config;
    this.transport = nodemailer.createTransport({
      host,
      port,
      secure,
      requireTLS,
      ...(username === undefined ? {} : { auth: { user: username, pass: password ?? '' } }),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async check(_options: CallOptions): Promise<CheckResult> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw toError(error, 'check');
    }
    return { ok: true, message: `Connected to SMTP server ${this.ctx.config.host}:${this.ctx.config.port}` };
  }

  /** One message per seed address (seeds never see each other), marked as a test in the subject and a header. */
  async sendTest(input: SendTestInput, { signal }: CallOptions): Promise<SendTestResult> {
    const email = input.email;
    if (email === undefined)
      throw new HubspokeError('E_VALIDATION', 'test.email: the SMTP connector sends the rendered email; pass it', {
        path: 'test.email',
      });
    const messageIds: string[] = [];
    for (const to of input.recipients) {
      if (signal?.aborted === true) throw new HubspokeError('E_ABORTED', 'SMTP sendTest was cancelled');
      if (this.ctx.dryRun !== undefined) {
        this.ctx.dryRun.record({
          connector: this.ctx.instance,
          operation: 'sendTest',
          method: 'SMTP',
          target: `smtp://${this.ctx.config.host}:${this.ctx.config.port}`,
          headers: {},
          body: { to, subject: `${this.ctx.config.subjectPrefix}${email.subject}` },
        });
        continue;
      }
      try {
        const info = await this.transport.sendMail({
          from: this.ctx.config.from,
          to,
          subject: `${this.ctx.config.subjectPrefix}${email.subject}`,
          html: email.html,
          text: email.text,
          headers: {
            'X-Hubspoke-Test': `${input.draftId} v${input.draftVersion} ${input.locale}`,
            ...(input.seedList === undefined ? {} : { 'X-Hubspoke-Seed-List': input.seedList }),
          },
        });
        messageIds.push(info.messageId);
      } catch (error) {
        throw toError(error, 'sendTest');
      }
    }
    return { sent: [...input.recipients], messageIds };
  }
}

/** SMTP: test sends of the rendered email to seed inboxes through any mail server (nodemailer). */
export const smtp = defineConnector({
  manifest: {
    id: 'smtp',
    name: 'SMTP',
    version: '0.1.0',
    kind: 'mail',
    description: 'Sends test emails (the rendered HTML and text) to seed addresses through an SMTP server.',
    secrets: ['username', 'password'],
    capabilities: ['check', 'sendTest'],
    limits: { concurrency: 1 },
    docsUrl: 'https://nodemailer.com/smtp/',
  },
  config: SmtpConfigSchema,
  create: (ctx) => new Smtp(ctx),
});
