import { contractFor } from '../contracts/vendors.js';
import { FakeServer, type FakeRequest, type FakeResponse } from '../fake-server.js';

export interface FakeMondayItem {
  id: string;
  boardId: string;
  groupId: string | null;
  name: string;
  columns: Record<string, unknown>;
  updates: string[];
}

const gqlError = (message: string, code: string, extra: Record<string, unknown> = {}): FakeResponse => ({
  json: { errors: [{ message, extensions: { code, ...extra } }], account_id: 1 },
});

/**
 * A fake of the monday.com GraphQL API subset the connector uses: `me`, `users(emails:)`,
 * `create_item`, `change_multiple_column_values`, `create_update` and
 * `items_page_by_column_values`. It checks the raw `Authorization` token and `API-Version`
 * header, parses `column_values` JSON strings (date and people formats), charges complexity
 * per mutation (answering `COMPLEXITY_BUDGET_EXHAUSTED` with `retry_in_seconds`), and counts
 * mutations that overlap on one board (the connector must serialise them).
 */
export class FakeMonday extends FakeServer {
  readonly items = new Map<string, FakeMondayItem>();
  readonly boards = new Set(['4242']);
  readonly users = new Map([['lena@acme.example', 77]]);
  /** Mutations that ran while another mutation on the same board was in flight. */
  overlappingMutations = 0;
  private readonly inFlight = new Map<string, number>();
  private spent: { at: number; points: number }[] = [];
  private next = 9000;

  constructor(
    readonly token = 'monday-token',
    private readonly budget = { points: 1_000_000, windowMs: 60_000 },
    private readonly latencyMs = 5,
  ) {
    super({
      contract: contractFor('monday'),
      rejectResponse: (violations) => ({
        json: {
          errors: violations.map((v) => ({ message: v.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
        },
      }),
    });
    this.route('POST', '/v2', (req) => this.graphql(req));
  }

  private async graphql(req: FakeRequest): Promise<FakeResponse> {
    if (req.headers.authorization !== this.token)
      return {
        status: 401,
        json: { errors: [{ message: 'Not Authenticated', extensions: { code: 'USER_UNAUTHORIZED' } }] },
      };
    if (!/^\d{4}-(01|04|07|10)$/.test(String(req.headers['api-version'])))
      return gqlError('Invalid API-Version header', 'InvalidVersionException');
    const body = req.json as { query?: unknown; variables?: Record<string, unknown> } | undefined;
    const query = typeof body?.query === 'string' ? body.query : '';
    const vars = body?.variables ?? {};
    if (/\bme\s*\{/.test(query)) return { json: { data: { me: { id: '1', name: 'Hubspoke bot' } } } };
    if (/\busers\s*\(/.test(query)) {
      const emails = Array.isArray(vars.emails) ? vars.emails.map(String) : [];
      return {
        json: {
          data: {
            users: emails.filter((e) => this.users.has(e)).map((e) => ({ id: String(this.users.get(e)), email: e })),
          },
        },
      };
    }
    if (/\bitems_page_by_column_values\s*\(/.test(query)) {
      const board = String(vars.board);
      const column = String(vars.column);
      const value = String(vars.value);
      const found = [...this.items.values()].filter((i) => i.boardId === board && i.columns[column] === value);
      return {
        json: {
          data: {
            items_page_by_column_values: { cursor: null, items: found.map((i) => ({ id: i.id, name: i.name })) },
          },
        },
      };
    }
    const mutation = /^\s*mutation\b/.test(query);
    if (!mutation) return gqlError('Unsupported query', 'GraphQLValidationError');
    // create_update names only the item; the item knows its board.
    const target = vars.board === undefined ? this.items.get(String(vars.item)) : undefined;
    if (vars.board === undefined && target === undefined)
      return gqlError('Item not found', 'ResourceNotFoundException');
    const board = target?.boardId ?? String(vars.board);
    if (!this.boards.has(board)) return gqlError(`Board ${board} not found`, 'ResourceNotFoundException');
    if (!this.charge(10_000)) {
      const oldest = this.spent[0]?.at ?? Date.now();
      return gqlError('Complexity budget exhausted', 'COMPLEXITY_BUDGET_EXHAUSTED', {
        retry_in_seconds: Math.max(1, Math.ceil((oldest + this.budget.windowMs - Date.now()) / 1000)),
      });
    }
    const running = this.inFlight.get(board) ?? 0;
    if (running > 0) this.overlappingMutations++;
    this.inFlight.set(board, running + 1);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      return this.mutate(query, vars, board);
    } finally {
      this.inFlight.set(board, (this.inFlight.get(board) ?? 1) - 1);
    }
  }

  private charge(points: number): boolean {
    const now = Date.now();
    this.spent = this.spent.filter((s) => s.at > now - this.budget.windowMs);
    if (this.spent.reduce((sum, s) => sum + s.points, 0) + points > this.budget.points) return false;
    this.spent.push({ at: now, points });
    return true;
  }

  private mutate(query: string, vars: Record<string, unknown>, board: string): FakeResponse {
    const columns = parseColumns(vars.columns);
    if (columns === 'invalid') return gqlError('Invalid column values: expected a JSON string', 'ColumnValueException');
    const invalid = Object.entries(columns).find(([, v]) => !validColumn(v));
    if (invalid !== undefined) return gqlError(`Invalid value for column ${invalid[0]}`, 'ColumnValueException');
    if (/\bcreate_item\s*\(/.test(query)) {
      if (typeof vars.name !== 'string' || vars.name === '')
        return gqlError('item_name is required', 'ArgumentException');
      const item: FakeMondayItem = {
        id: String(this.next++),
        boardId: board,
        groupId: typeof vars.group === 'string' ? vars.group : null,
        name: vars.name,
        columns,
        updates: [],
      };
      this.items.set(item.id, item);
      return { json: { data: { create_item: { id: item.id } } } };
    }
    const item = this.items.get(String(vars.item));
    if (item === undefined) return gqlError('Item not found', 'ResourceNotFoundException');
    if (/\bchange_multiple_column_values\s*\(/.test(query)) {
      Object.assign(item.columns, columns);
      return { json: { data: { change_multiple_column_values: { id: item.id } } } };
    }
    if (/\bcreate_update\s*\(/.test(query)) {
      item.updates.push(String(vars.body));
      return { json: { data: { create_update: { id: String(this.next++) } } } };
    }
    return gqlError('Unsupported mutation', 'GraphQLValidationError');
  }
}

function parseColumns(raw: unknown): Record<string, unknown> | 'invalid' {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'string') return 'invalid';
  try {
    const value = JSON.parse(raw) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** Date `{date, time?}`, people `{personsAndTeams:[{id, kind}]}`, status `{label}` or plain text. */
function validColumn(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if ('date' in v)
    return (
      typeof v.date === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(v.date) &&
      (v.time === undefined || (typeof v.time === 'string' && /^\d{2}:\d{2}:\d{2}$/.test(v.time)))
    );
  if ('personsAndTeams' in v)
    return (
      Array.isArray(v.personsAndTeams) &&
      v.personsAndTeams.every(
        (p: { id?: unknown; kind?: unknown }) => typeof p.id === 'number' && (p.kind === 'person' || p.kind === 'team'),
      )
    );
  if ('label' in v) return typeof v.label === 'string';
  return false;
}
