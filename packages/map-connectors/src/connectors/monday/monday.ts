import { HubspokeError, type CallOptions, type CheckResult, type TaskInput, type TaskRef } from '@hubspoke/core';
import { z } from 'zod';
import { staticAuth } from '../../sdk/http/auth.js';
import { defineConnector, type ConnectorContext } from '../../sdk/define-connector.js';
import { classifyStatus, type ClassifyInput, type HttpClient, type Verdict } from '../../sdk/http/http-client.js';
import type { RemoteAsset } from '../../sdk/publish/publish.js';
import { expectBody } from '../../sdk/http/response.js';

const ColumnId = z.string().regex(/^[A-Za-z0-9_]{1,100}$/, { error: 'expected a monday.com column id' });

export const MondayConfigSchema = z
  .object({
    /** A personal or app API token (sent as the raw `Authorization` header). */
    apiToken: z.string().min(1),
    boardId: z.string().regex(/^\d+$/),
    groupId: z.string().max(100).optional(),
    /** A date column for the due date. */
    dateColumnId: ColumnId.optional(),
    /** A people column for the assignee (emails are looked up to user ids). */
    peopleColumnId: ColumnId.optional(),
    /** A status column set to `doneLabel` when the task closes. */
    statusColumnId: ColumnId.optional(),
    doneLabel: z.string().min(1).max(100).default('Done'),
    /** A text column that stores the task key, so a task can be found again after a lost answer. */
    keyColumnId: ColumnId.optional(),
    /** Calendar versions are YYYY-01, -04, -07 or -10. */
    apiVersion: z
      .string()
      .regex(/^\d{4}-(01|04|07|10)$/)
      .default('2025-04'),
    apiUrl: z.url({ protocol: /^https?$/ }).default('https://api.monday.com/v2'),
  })
  .strict();
export type MondayConfig = z.output<typeof MondayConfigSchema>;

interface GraphQLError {
  message?: unknown;
  extensions?: { code?: unknown; retry_in_seconds?: unknown };
}

/**
 * monday.com reports application errors as HTTP 200 with an `errors` array; limits as
 * `COMPLEXITY_BUDGET_EXHAUSTED` (with `retry_in_seconds`), `ComplexityException`,
 * `DAILY_LIMIT_EXCEEDED`, or HTTP 429 with `Retry-After`.
 */
export function classifyMonday(input: ClassifyInput): Verdict {
  const body = input.body as
    { errors?: GraphQLError[] | string[]; error_code?: unknown; error_message?: unknown } | undefined;
  const first = body?.errors?.[0];
  const code =
    typeof body?.error_code === 'string'
      ? body.error_code
      : typeof first === 'object' && typeof first.extensions?.code === 'string'
        ? first.extensions.code
        : '';
  const message =
    typeof first === 'string'
      ? first
      : typeof first?.message === 'string'
        ? first.message
        : typeof body?.error_message === 'string'
          ? body.error_message
          : '';
  const reason = `${code} ${message}`.trim() || `HTTP ${input.status}`;
  if (code === 'DAILY_LIMIT_EXCEEDED')
    return { kind: 'rate-limited', reason: `${reason} (resets at 00:00 UTC)`, vendorCode: code, final: true };
  if (
    code === 'COMPLEXITY_BUDGET_EXHAUSTED' ||
    code === 'ComplexityException' ||
    code === 'RATE_LIMIT_EXCEEDED' ||
    input.status === 429
  ) {
    const retryIn = typeof first === 'object' ? first.extensions?.retry_in_seconds : undefined;
    const resetIn = /reset in (\d+) seconds?/.exec(
      `${message} ${typeof body?.error_message === 'string' ? body.error_message : ''}`,
    )?.[1];
    const seconds = typeof retryIn === 'number' ? retryIn : resetIn === undefined ? undefined : Number(resetIn);
    return {
      kind: 'rate-limited',
      reason,
      vendorCode: code,
      pause: true,
      ...(seconds === undefined ? {} : { delayMs: seconds * 1000 }),
    };
  }
  if (input.status === 401 || code === 'USER_UNAUTHORIZED' || code === 'UserUnauthorizedException')
    return { kind: 'fail', code: 'E_AUTH', reason, vendorCode: code };
  if (input.status !== 200) return classifyStatus(input, reason);
  if (body?.errors !== undefined && body.errors.length > 0) {
    if (code === 'ResourceNotFoundException' || code === 'InvalidBoardIdException' || code === 'InvalidItemIdException')
      return { kind: 'fail', code: 'E_NOT_FOUND', reason, vendorCode: code };
    if (code === 'INTERNAL_SERVER_ERROR') return { kind: 'retry', reason, vendorCode: code };
    return { kind: 'fail', code: 'E_VALIDATION', reason, vendorCode: code };
  }
  return { kind: 'ok' };
}

const CREATE =
  'mutation ($board: ID!, $group: String, $name: String!, $columns: JSON) { create_item (board_id: $board, group_id: $group, item_name: $name, column_values: $columns) { id } }';
const CHANGE =
  'mutation ($board: ID!, $item: ID!, $columns: JSON!) { change_multiple_column_values (board_id: $board, item_id: $item, column_values: $columns) { id } }';
const UPDATE = 'mutation ($item: ID!, $body: String!) { create_update (item_id: $item, body: $body) { id } }';
const FIND =
  'query ($board: ID!, $column: String!, $value: String!) { items_page_by_column_values (board_id: $board, limit: 2, columns: [{ column_id: $column, column_values: [$value] }]) { items { id name } } }';
const USERS = 'query ($emails: [String]) { users (emails: $emails) { id email } }';

/** `{"date":"YYYY-MM-DD","time":"HH:MM:SS"}` in UTC. */
export function mondayDate(iso: string): { date: string; time: string } {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime()))
    throw new HubspokeError('E_VALIDATION', 'Invalid date: mondayDate expected an ISO 8601 date', { path: 'iso' });
  const d = time.toISOString();
  return { date: d.slice(0, 10), time: d.slice(11, 19) };
}

class Monday {
  private readonly api: HttpClient;

  constructor(private readonly ctx: ConnectorContext<MondayConfig>) {
    if (ctx.config.apiVersion < '2023-10')
      throw new HubspokeError(
        'E_VALIDATION',
        'monday.com: apiVersion must be 2023-10 or later (items_page_by_column_values)',
        { path: `connectors.${ctx.instance}.config.apiVersion` },
      );
    this.api = ctx.http({ classify: classifyMonday, auth: staticAuth({ Authorization: ctx.config.apiToken }) });
  }

  private async graphql<T extends z.ZodType>(
    operation: string,
    query: string,
    variables: Record<string, unknown>,
    schema: T,
    signal?: AbortSignal,
    dryRunData?: unknown,
  ): Promise<z.output<T>> {
    const mutation = query.startsWith('mutation');
    const res = await this.api.send(
      {
        method: 'POST',
        url: this.ctx.config.apiUrl,
        operation,
        headers: { 'API-Version': this.ctx.config.apiVersion },
        json: { query, variables },
        idempotent: !mutation,
        // One mutation at a time per board (monday.com's advice; parallel writes to a board conflict).
        ...(mutation ? { serializeKey: `board:${this.ctx.config.boardId}` } : {}),
        dryRunBody: { data: dryRunData },
      },
      signal,
    );
    const envelope = expectBody(z.object({ data: z.unknown() }), res.body, `monday.com ${operation}`);
    return expectBody(schema, envelope.data, `monday.com ${operation}`);
  }

  async check({ signal }: CallOptions): Promise<CheckResult> {
    const data = await this.graphql(
      'me',
      'query { me { id name } }',
      {},
      z.object({ me: z.object({ id: z.string(), name: z.string() }) }),
      signal,
      { me: { id: '0', name: 'dry-run' } },
    );
    return { ok: true, message: `Connected to monday.com as ${data.me.name}`, details: { user: data.me.id } };
  }

  private async columns(input: TaskInput, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const { dateColumnId, peopleColumnId, keyColumnId } = this.ctx.config;
    const columns: Record<string, unknown> = {};
    if (dateColumnId !== undefined && input.dueAt !== undefined) columns[dateColumnId] = mondayDate(input.dueAt);
    if (keyColumnId !== undefined) columns[keyColumnId] = input.taskKey;
    if (peopleColumnId !== undefined && input.assignee !== undefined) {
      const id = /^\d+$/.test(input.assignee) ? Number(input.assignee) : await this.userId(input.assignee, signal);
      if (id !== undefined) columns[peopleColumnId] = { personsAndTeams: [{ id, kind: 'person' }] };
    }
    return columns;
  }

  private async userId(email: string, signal?: AbortSignal): Promise<number | undefined> {
    const data = await this.graphql(
      'users',
      USERS,
      { emails: [email] },
      z.object({ users: z.array(z.object({ id: z.string() }).loose()) }),
      signal,
      { users: [] },
    );
    const id = data.users[0]?.id;
    if (id === undefined)
      this.api.log(
        'warn',
        'monday.unknown-user',
        `No monday.com user with the assignee's email; the task is created unassigned`,
      );
    return id === undefined ? undefined : Number(id);
  }

  async createTask(input: TaskInput, { signal }: CallOptions): Promise<TaskRef> {
    const { boardId, groupId } = this.ctx.config;
    const columns = await this.columns(input, signal);
    const Id = z.object({ id: z.string() });
    const result = await this.ctx.publish(
      {
        key: { kind: 'task', sourceId: input.taskKey, version: 1, locale: '' },
        signal,
        name: input.taskKey,
        create: async () => {
          const data = await this.graphql(
            'create_item',
            CREATE,
            { board: boardId, group: groupId ?? null, name: input.title, columns: JSON.stringify(columns) },
            z.object({ create_item: Id }),
            signal,
            { create_item: { id: 'dry-run' } },
          );
          return { id: data.create_item.id };
        },
        update: async (item) => {
          if (Object.keys(columns).length > 0)
            await this.graphql(
              'change_multiple_column_values',
              CHANGE,
              { board: boardId, item, columns: JSON.stringify(columns) },
              z.object({ change_multiple_column_values: Id }),
              signal,
              { change_multiple_column_values: { id: item } },
            );
          return undefined;
        },
        find: (taskKey) => this.findByKey(taskKey, signal),
      },
      this.api,
    );
    return { taskKey: input.taskKey, remoteId: result.remoteId };
  }

  private async findByKey(taskKey: string, signal?: AbortSignal): Promise<RemoteAsset | undefined> {
    const { keyColumnId, boardId } = this.ctx.config;
    if (keyColumnId === undefined) return undefined;
    const data = await this.graphql(
      'items_page_by_column_values',
      FIND,
      { board: boardId, column: keyColumnId, value: taskKey },
      z.object({ items_page_by_column_values: z.object({ items: z.array(z.object({ id: z.string() }).loose()) }) }),
      signal,
      { items_page_by_column_values: { items: [] } },
    );
    const found = data.items_page_by_column_values.items[0];
    return found === undefined ? undefined : { id: found.id };
  }

  async closeTask(ref: TaskRef, outcome: string, { signal }: CallOptions): Promise<void> {
    const { remoteId } = await this.ctx.tasks.resolve(ref);
    const { boardId, statusColumnId, doneLabel } = this.ctx.config;
    const Id = z.object({ id: z.string() });
    if (statusColumnId !== undefined) {
      await this.graphql(
        'change_multiple_column_values',
        CHANGE,
        { board: boardId, item: remoteId, columns: JSON.stringify({ [statusColumnId]: { label: doneLabel } }) },
        z.object({ change_multiple_column_values: Id }),
        signal,
        { change_multiple_column_values: { id: remoteId } },
      );
    }
    await this.graphql(
      'create_update',
      UPDATE,
      { item: remoteId, body: `Hubspoke decision: ${outcome}` },
      z.object({ create_update: Id }),
      signal,
      { create_update: { id: 'dry-run' } },
    );
  }
}

/** monday.com: review items on a board (date, people, status columns), one mutation at a time per board. */
export const monday = defineConnector({
  manifest: {
    id: 'monday',
    name: 'monday.com',
    version: '0.1.0',
    kind: 'pm',
    description:
      'Creates a board item per review stage with due date and assignee columns; sets the status and adds an update on decision.',
    secrets: ['apiToken'],
    capabilities: ['check', 'createTask', 'closeTask'],
    // create_item costs about 10,000 complexity points (~160 per minute within 5M write points per minute).
    limits: { callsPerWindow: 150, windowMs: 60_000, concurrency: 4 },
    docsUrl: 'https://developer.monday.com/api-reference/reference/items#create-an-item',
  },
  config: MondayConfigSchema,
  create: (ctx) => new Monday(ctx),
});
