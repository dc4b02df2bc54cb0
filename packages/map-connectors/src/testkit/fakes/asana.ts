import { createHmac, randomUUID } from 'node:crypto';
import { contractFor } from '../contracts/vendors.js';
import { FakeServer, LimitMeter, type FakeRequest, type FakeResponse } from '../fake-server.js';

export interface FakeAsanaTask {
  gid: string;
  name: string;
  notes: string;
  assignee: string | null;
  due_at: string | null;
  due_on: string | null;
  projects: string[];
  workspace: string | null;
  completed: boolean;
  stories: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const error = (status: number, message: string): FakeResponse => ({ status, json: { errors: [{ message }] } });

/**
 * A fake of the Asana REST API subset the connector uses: `GET /users/me`, tasks (create,
 * update, list a project's tasks with offset pagination), stories, and webhooks with the
 * `X-Hook-Secret` handshake and HMAC-signed events. Bodies are checked for the `{ data: … }` envelope.
 */
export class FakeAsana extends FakeServer {
  readonly tasks = new Map<string, FakeAsanaTask>();
  readonly webhooks = new Map<string, { resource: string; target: string; secret: string }>();
  readonly projects = new Set(['1200000000000001']);
  private next = 1300000000000000;

  /** Requests per rolling window, as Asana enforces per token (none unless given). */
  readonly meter: LimitMeter | undefined;

  constructor(
    readonly token = 'asana-pat',
    readonly pageSize = 2,
    limit?: { calls: number; windowMs: number },
  ) {
    const meter =
      limit === undefined ? undefined : new LimitMeter(limit.calls, limit.windowMs, Number.POSITIVE_INFINITY);
    super({
      contract: contractFor('asana'),
      rejectResponse: (violations) => error(400, violations.map((v) => v.message).join('; ')),
      gate: (req) => {
        if (req.headers.authorization !== `Bearer ${this.token}`) return error(401, 'Not Authorized');
        // Asana answers 429 with Retry-After (seconds) when the per-minute limit is spent.
        if (meter?.admit() !== undefined)
          return {
            status: 429,
            headers: { 'Retry-After': '1' },
            json: { errors: [{ message: 'Rate Limit Enforced' }] },
          };
        return undefined;
      },
    });
    this.meter = meter;
    this.route('GET', '/users/me', () => ({
      json: { data: { gid: '1', name: 'Hubspoke bot', email: 'bot@acme.example', resource_type: 'user' } },
    }));
    this.route('POST', '/tasks', (req) => this.createTask(req));
    this.route('PUT', '/tasks/:gid', (req) => {
      const task = this.tasks.get(req.params.gid ?? '');
      if (task === undefined) return error(404, 'task: Unknown object');
      const data = (req.json as { data?: Record<string, unknown> } | undefined)?.data;
      if (data === undefined) return error(400, 'data: Missing input');
      if (typeof data.completed === 'boolean') task.completed = data.completed;
      if (typeof data.name === 'string') task.name = data.name;
      if (typeof data.notes === 'string') task.notes = data.notes;
      if (typeof data.due_at === 'string') task.due_at = data.due_at;
      return { json: { data: this.publicTask(task) } };
    });
    this.route('POST', '/tasks/:gid/stories', (req) => {
      const task = this.tasks.get(req.params.gid ?? '');
      const text = (req.json as { data?: { text?: unknown } } | undefined)?.data?.text;
      if (task === undefined) return error(404, 'task: Unknown object');
      if (typeof text !== 'string' || text === '') return error(400, 'text: Missing input');
      task.stories.push(text);
      return { status: 201, json: { data: { gid: this.id(), text, resource_type: 'story' } } };
    });
    this.route('GET', '/projects/:gid/tasks', (req) => {
      if (!this.projects.has(req.params.gid ?? '')) return error(404, 'project: Unknown object');
      const all = [...this.tasks.values()].filter((t) => t.projects.includes(req.params.gid ?? ''));
      const offset = Number(req.query.get('offset') ?? '0');
      const limit = Math.min(Number(req.query.get('limit') ?? '20'), this.pageSize);
      const page = all.slice(offset, offset + limit);
      const fields = (req.query.get('opt_fields') ?? '').split(',');
      const nextOffset = offset + limit < all.length ? String(offset + limit) : null;
      return {
        json: {
          data: page.map((t) => ({
            gid: t.gid,
            name: t.name,
            ...(fields.includes('notes') ? { notes: t.notes } : {}),
            ...(fields.includes('permalink_url') ? { permalink_url: this.link(t.gid) } : {}),
          })),
          next_page:
            nextOffset === null
              ? null
              : { offset: nextOffset, path: `/projects/${req.params.gid ?? ''}/tasks?offset=${nextOffset}`, uri: '' },
        },
      };
    });
    this.route('POST', '/webhooks', async (req) => {
      const data = (req.json as { data?: { resource?: unknown; target?: unknown; filters?: unknown } } | undefined)
        ?.data;
      if (typeof data?.resource !== 'string' || typeof data.target !== 'string')
        return error(400, 'resource and target are required');
      if (/^https?:\/\/localhost[:/]/.test(data.target)) return error(403, 'target: localhost is not allowed');
      // The handshake: Asana POSTs a secret to the target, which must echo it back.
      const secret = randomUUID().replace(/-/g, '');
      const answer = await fetch(data.target, { method: 'POST', headers: { 'X-Hook-Secret': secret } }).catch(
        () => undefined,
      );
      if (answer === undefined || answer.status >= 300 || answer.headers.get('x-hook-secret') !== secret)
        return error(400, 'The remote server did not respond with the handshake secret.');
      const gid = this.id();
      this.webhooks.set(gid, { resource: data.resource, target: data.target, secret });
      return {
        status: 201,
        json: { data: { gid, resource: { gid: data.resource }, target: data.target, active: true } },
      };
    });
  }

  /** Delivers events to a webhook's target, signed the way Asana signs them. */
  async deliver(webhookGid: string, events: Record<string, unknown>[], signWith?: string): Promise<number> {
    const hook = this.webhooks.get(webhookGid);
    if (hook === undefined) throw new Error(`no webhook ${webhookGid}`);
    const body = JSON.stringify({ events });
    const signature = createHmac('sha256', signWith ?? hook.secret)
      .update(body)
      .digest('hex');
    const res = await fetch(hook.target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hook-Signature': signature },
      body,
    });
    return res.status;
  }

  private id(): string {
    return String(this.next++);
  }

  private link(gid: string): string {
    return `https://app.asana.com/0/0/${gid}`;
  }

  private publicTask(t: FakeAsanaTask) {
    return {
      gid: t.gid,
      name: t.name,
      notes: t.notes,
      completed: t.completed,
      due_at: t.due_at,
      due_on: t.due_on,
      assignee: t.assignee === null ? null : { gid: t.assignee },
      permalink_url: this.link(t.gid),
      resource_type: 'task',
    };
  }

  private createTask(req: FakeRequest): FakeResponse {
    const data = (req.json as { data?: Record<string, unknown> } | undefined)?.data;
    if (data === undefined) return error(400, 'data: Missing input');
    if (typeof data.name !== 'string' || data.name === '') return error(400, 'name: Missing input');
    const projects = Array.isArray(data.projects) ? data.projects.map(String) : [];
    if (projects.length === 0 && typeof data.workspace !== 'string')
      return error(400, 'You should specify one of workspace, parent, projects');
    if (projects.some((p) => !this.projects.has(p))) return error(404, 'projects: Unknown object');
    if (data.due_at !== undefined && (typeof data.due_at !== 'string' || !DATETIME.test(data.due_at)))
      return error(400, 'due_at: Invalid date-time');
    if (data.due_on !== undefined && (typeof data.due_on !== 'string' || !DATE.test(data.due_on)))
      return error(400, 'due_on: Invalid date');
    if (data.due_at !== undefined && data.due_on !== undefined)
      return error(400, 'You may only provide one of due_on or due_at');
    const task: FakeAsanaTask = {
      gid: this.id(),
      name: data.name,
      notes: typeof data.notes === 'string' ? data.notes : '',
      assignee: typeof data.assignee === 'string' ? data.assignee : null,
      due_at: typeof data.due_at === 'string' ? data.due_at : null,
      due_on: typeof data.due_on === 'string' ? data.due_on : null,
      projects,
      workspace: typeof data.workspace === 'string' ? data.workspace : null,
      completed: false,
      stories: [],
    };
    this.tasks.set(task.gid, task);
    return { status: 201, json: { data: this.publicTask(task) } };
  }
}
