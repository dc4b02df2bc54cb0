import { HubspokeError, parse, type CallOptions, type CheckResult, type TaskInput, type TaskRef } from '@hubspoke/core';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { bearerAuth } from '../../sdk/http/auth.js';
import { defineConnector, type ConnectorContext } from '../../sdk/define-connector.js';
import { classifyStatus, type ClassifyInput, type HttpClient, type Verdict } from '../../sdk/http/http-client.js';
import { paginate } from '../../sdk/http/paginate.js';
import type { RemoteAsset } from '../../sdk/publish/publish.js';
import { expectBody } from '../../sdk/http/response.js';

export const AsanaConfigSchema = z
  .object({
    /** A personal access token (or an OAuth access token). */
    accessToken: z.string().min(1),
    /** Tasks are added to this project (needed to find a task again after a lost answer). */
    projectGid: z.string().regex(/^\d+$/).optional(),
    /** Or created in this workspace without a project. */
    workspaceGid: z.string().regex(/^\d+$/).optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://app.asana.com/api/1.0/'),
  })
  .strict();
export type AsanaConfig = z.output<typeof AsanaConfigSchema>;

/** Asana answers errors as `{ errors: [{ message }] }` with HTTP statuses; 429 carries `Retry-After`. */
export function classifyAsana(input: ClassifyInput): Verdict {
  const errors = (input.body as { errors?: { message?: unknown }[] } | undefined)?.errors;
  const message = typeof errors?.[0]?.message === 'string' ? errors[0].message : undefined;
  if (input.status === 401) return { kind: 'fail', code: 'E_AUTH', reason: message ?? 'Not Authorized' };
  return classifyStatus(input, message);
}

/** The line Hubspoke adds to a task's notes so the task can be found again by its key. */
export const taskMarker = (taskKey: string) => `hubspoke-task-key: ${taskKey}`;

const TaskSchema = z
  .object({ data: z.object({ gid: z.string(), permalink_url: z.string().optional() }).loose() })
  .loose();
const PageSchema = z
  .object({
    data: z.array(
      z.object({ gid: z.string(), notes: z.string().optional(), permalink_url: z.string().optional() }).loose(),
    ),
    next_page: z.object({ offset: z.string() }).loose().nullish(),
  })
  .loose();
const WebhookInputSchema = z
  .object({
    resource: z.string().regex(/^\d+$/),
    target: z.url({ protocol: /^https?$/ }),
    filters: z
      .array(
        z
          .object({
            resource_type: z.string(),
            resource_subtype: z.string().optional(),
            action: z.string(),
            fields: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

class Asana {
  readonly actions = { createWebhook: (input: unknown, options: CallOptions) => this.createWebhook(input, options) };
  private readonly api: HttpClient;

  constructor(private readonly ctx: ConnectorContext<AsanaConfig>) {
    this.api = ctx.http({
      baseUrl: ctx.config.baseUrl.endsWith('/') ? ctx.config.baseUrl : `${ctx.config.baseUrl}/`,
      classify: classifyAsana,
      auth: bearerAuth(ctx.config.accessToken),
    });
  }

  async check({ signal }: CallOptions): Promise<CheckResult> {
    const res = await this.api.send(
      { method: 'GET', url: 'users/me', operation: 'users.me', dryRunBody: { data: { gid: 'dry-run' } } },
      signal,
    );
    const me = expectBody(
      z.object({ data: z.object({ gid: z.string(), name: z.string().optional() }).loose() }),
      res.body,
      'Asana users/me',
    );
    return {
      ok: true,
      message: `Connected to Asana as ${me.data.name ?? me.data.gid}`,
      details: { user: me.data.gid },
    };
  }

  async createTask(input: TaskInput, { signal }: CallOptions): Promise<TaskRef> {
    const { projectGid, workspaceGid } = this.ctx.config;
    if (projectGid === undefined && workspaceGid === undefined) {
      throw new HubspokeError(
        'E_VALIDATION',
        `Asana: set projectGid or workspaceGid in connectors.${this.ctx.instance}.config`,
        { path: `connectors.${this.ctx.instance}.config.projectGid` },
      );
    }
    const data = {
      name: input.title,
      notes: `${input.notes ?? ''}\n\n${taskMarker(input.taskKey)}`.trim(),
      ...(input.assignee === undefined ? {} : { assignee: input.assignee }),
      ...(input.dueAt === undefined ? {} : { due_at: new Date(input.dueAt).toISOString() }),
      ...(projectGid === undefined ? { workspace: workspaceGid } : { projects: [projectGid] }),
    };
    const toAsset = (body: unknown, what: string): RemoteAsset => {
      const task = expectBody(TaskSchema, body, what).data;
      return { id: task.gid, ...(task.permalink_url === undefined ? {} : { url: task.permalink_url }) };
    };
    const result = await this.ctx.publish(
      {
        key: { kind: 'task', sourceId: input.taskKey, version: 1, locale: '' },
        signal,
        name: input.taskKey,
        create: async () =>
          toAsset(
            (
              await this.api.send(
                {
                  method: 'POST',
                  url: 'tasks',
                  operation: 'createTask',
                  json: { data },
                  dryRunBody: { data: { gid: 'dry-run' } },
                },
                signal,
              )
            ).body,
            'Asana createTask',
          ),
        update: async (gid) => {
          const { name, notes } = data;
          const res = await this.api.send(
            {
              method: 'PUT',
              url: `tasks/${gid}`,
              operation: 'updateTask',
              json: { data: { name, notes, ...('due_at' in data ? { due_at: data.due_at } : {}) } },
              dryRunBody: { data: { gid } },
            },
            signal,
          );
          return toAsset(res.body, 'Asana updateTask');
        },
        find: (taskKey) => this.findByKey(taskKey, signal),
      },
      this.api,
    );
    return {
      taskKey: input.taskKey,
      remoteId: result.remoteId,
      ...(result.url === undefined ? {} : { url: result.url }),
    };
  }

  /** Looks through the project's tasks for the marker line (only possible with a project). */
  private async findByKey(taskKey: string, signal?: AbortSignal): Promise<RemoteAsset | undefined> {
    const { projectGid } = this.ctx.config;
    if (projectGid === undefined) return undefined;
    const marker = taskMarker(taskKey);
    const tasks = paginate<z.output<typeof PageSchema>['data'][number], string>('0', async (offset) => {
      const res = await this.api.send(
        {
          method: 'GET',
          url: `projects/${projectGid}/tasks`,
          query: { opt_fields: 'notes,permalink_url', limit: 100, ...(offset === '0' ? {} : { offset }) },
          operation: 'listProjectTasks',
          dryRunBody: { data: [] },
        },
        signal,
      );
      const page = expectBody(PageSchema, res.body, 'Asana project tasks');
      return { items: page.data, next: page.next_page?.offset };
    });
    for await (const task of tasks) {
      if (task.notes?.split('\n').includes(marker) === true)
        return { id: task.gid, ...(task.permalink_url === undefined ? {} : { url: task.permalink_url }) };
    }
    return undefined;
  }

  async closeTask(ref: TaskRef, outcome: string, { signal }: CallOptions): Promise<void> {
    const { remoteId } = await this.ctx.tasks.resolve(ref);
    await this.api.send(
      {
        method: 'POST',
        url: `tasks/${remoteId}/stories`,
        operation: 'addStory',
        idempotent: true,
        json: { data: { text: `Hubspoke decision: ${outcome}` } },
      },
      signal,
    );
    await this.api.send(
      { method: 'PUT', url: `tasks/${remoteId}`, operation: 'completeTask', json: { data: { completed: true } } },
      signal,
    );
  }

  /** Registers a webhook; Asana performs the `X-Hook-Secret` handshake with `target` during this call. */
  async createWebhook(input: unknown, { signal }: CallOptions): Promise<{ gid: string }> {
    const { resource, target, filters } = parse(WebhookInputSchema, input, 'webhook');
    const res = await this.api.send(
      {
        method: 'POST',
        url: 'webhooks',
        operation: 'createWebhook',
        json: { data: { resource, target, ...(filters === undefined ? {} : { filters }) } },
        dryRunBody: { data: { gid: 'dry-run' } },
      },
      signal,
    );
    return { gid: expectBody(TaskSchema, res.body, 'Asana createWebhook').data.gid };
  }
}

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface WebhookReply {
  status: number;
  headers: Record<string, string>;
  /** The verified events (empty for a handshake or a rejected delivery). */
  events: Record<string, unknown>[];
}

const header = (headers: WebhookRequest['headers'], name: string): string | undefined => {
  const value =
    headers[name] ??
    headers[name.toLowerCase()] ??
    Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The receiving end of an Asana webhook, for any HTTP server: answers the handshake by
 * echoing `X-Hook-Secret` (and keeps the secret), then accepts only deliveries whose
 * `X-Hook-Signature` is the HMAC-SHA256 of the body under that secret.
 */
export function createAsanaWebhookReceiver(options: { secret?: string; onSecret?: (secret: string) => void } = {}) {
  let secret = options.secret;
  return {
    get secret() {
      return secret;
    },
    handle(request: WebhookRequest): WebhookReply {
      const handshake = header(request.headers, 'x-hook-secret');
      if (handshake !== undefined) {
        secret = handshake;
        options.onSecret?.(handshake);
        return { status: 200, headers: { 'X-Hook-Secret': handshake }, events: [] };
      }
      const signature = header(request.headers, 'x-hook-signature') ?? '';
      if (secret === undefined) return { status: 401, headers: {}, events: [] };
      const expected = createHmac('sha256', secret).update(request.body).digest();
      const given = Buffer.from(signature, 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { status: 401, headers: {}, events: [] };
      try {
        const parsed = JSON.parse(request.body) as { events?: unknown };
        return {
          status: 200,
          headers: {},
          events: Array.isArray(parsed.events) ? (parsed.events as Record<string, unknown>[]) : [],
        };
      } catch {
        return { status: 400, headers: {}, events: [] };
      }
    },
  };
}

/** Asana: review tasks with assignee and due date, completed with the decision; webhooks with the handshake. */
export const asana = defineConnector({
  manifest: {
    id: 'asana',
    name: 'Asana',
    version: '0.1.0',
    kind: 'pm',
    description:
      'Creates a task per review stage (assignee, due date), completes it with the decision; registers webhooks.',
    secrets: ['accessToken'],
    capabilities: ['check', 'createTask', 'closeTask'],
    // Free plans: 150 requests per minute per token (paid: 1,500).
    limits: { callsPerWindow: 150, windowMs: 60_000, concurrency: 5 },
    docsUrl: 'https://developers.asana.com/reference/createtask',
  },
  config: AsanaConfigSchema,
  create: (ctx) => new Asana(ctx),
});
