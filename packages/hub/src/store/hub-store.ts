import { randomUUID } from 'node:crypto';
import {
  guardMethods,
  checkArgs,
  HubspokeError,
  migrateSql,
  type ArgSpec,
  type BrandKit,
  type CampaignMetrics,
  type Draft,
  type SqlClient,
  type Template,
} from '@hubspoke/core';
import { toStoreError } from '@hubspoke/approval-state';
import { HUB_MIGRATIONS } from './migrations.js';

/** Where a draft is in review: `draft` until first submitted, then its latest submission's status. */
export type DraftStatus = 'draft' | 'new' | 'inReview' | 'returned' | 'approved' | 'rejected' | 'withdrawn';
export const DRAFT_STATUSES: readonly DraftStatus[] = [
  'draft',
  'new',
  'inReview',
  'returned',
  'approved',
  'rejected',
  'withdrawn',
];

/** A draft as the store keeps it: the draft (whose `version` is the stored version) and its review status. */
export interface StoredDraft {
  draft: Draft;
  /** Optimistic-concurrency version: a write must name it (`expectedVersion`), the server's ETag. */
  version: number;
  status: DraftStatus;
  /** The latest submission of the draft, once submitted. */
  submissionId?: string;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/** Filters for listing drafts; paging by `limit` (default 50, at most 1000) and `offset`. */
export interface DraftQuery {
  region?: string;
  team?: string;
  status?: DraftStatus;
  author?: string;
  templateId?: string;
  limit?: number;
  offset?: number;
}

export interface StoredTemplate {
  template: Template;
  /** The MJML source it was parsed from, when known (exported back to the folder). */
  source?: string;
  savedAt: string;
  savedBy: string;
}

/** What kind of thing a change-feed row is about. */
export type ChangeKind = 'draft' | 'submission' | 'template' | 'brandKit' | 'document' | 'metrics' | 'testSend';

/** One row of the change feed: what changed (kind + key), at which version, by whom. */
export interface Change {
  /** Increasing decimal id (a bigint), the SSE event id. */
  id: string;
  at: string;
  kind: ChangeKind;
  key: string;
  version?: number;
  actor: string;
  data?: unknown;
}

/** A documents-table entry: workflow versions, the operating model, the directory, OKRs, settings, lint config. */
export type DocumentKind = 'workflow' | 'operatingModel' | 'directory' | 'okrs' | 'settings' | 'lint';

export interface StoredDocument<T = unknown> {
  kind: DocumentKind;
  key: string;
  version: number;
  body: T;
}

export interface HubStoreOptions {
  /** Prefix of every table (default `hub_`). */
  tablePrefix?: string;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** The LISTEN/NOTIFY channel of the change feed (default `hubspoke_changes`). */
  channel?: string;
  /**
   * This process is the database's only client (PGlite): the drafts this store last read or wrote
   * are kept in memory (written through on every save) and read from there. Never for a database
   * other processes write to (PostgreSQL); a raw SQL write to the drafts table bypasses it.
   */
  exclusive?: boolean;
}

/** A pending metrics batch: rows are appended, then `commitMetricBatches` makes it visible. */
export interface MetricBatchSpec {
  /** Batches with the same key replace each other on commit (e.g. `import:<path>`). */
  key: string;
  kind: 'import' | 'pull';
  source: string;
  /** Pulls: the connector scope and range, for the overlap rule. */
  scope?: string;
  since?: Date;
  until?: Date;
}

export interface MetricBatchInfo {
  id: string;
  key: string;
  kind: 'import' | 'pull';
  scope?: string;
  since?: Date;
  until?: Date;
  rows: number;
}

const PREFIX = /^[a-z_][a-z0-9_]{0,40}$/;
export const CHANGES_CHANNEL = 'hubspoke_changes';

/** Keys up to this many bytes travel in the notice; a longer one is left out (the payload limit is 8000 bytes). */
const NOTICE_KEY_BYTES = 200;
/** The notification payload of change row `c`: `<id>:<kind>` and `:<key>` when the key is short. */
const NOTICE = `c.id::text || ':' || c.kind || CASE WHEN octet_length(c.key) <= ${NOTICE_KEY_BYTES} THEN ':' || c.key ELSE '' END`;

/** What a change-feed notification says without reading the change: its id, kind and (when short) key. */
export interface ChangeNotice {
  id: string;
  /** Absent in a bare-id notice (a writer from before notices carried the kind). */
  kind?: ChangeKind;
  /** Absent when the key was too long to carry, or with no kind. */
  key?: string;
}

const CHANGE_KINDS: ReadonlySet<string> = new Set<ChangeKind>([
  'draft',
  'submission',
  'template',
  'brandKit',
  'document',
  'metrics',
  'testSend',
]);

/**
 * Reads a change-feed notification payload (`<id>`, `<id>:<kind>` or `<id>:<kind>:<key>`), so a
 * listener can decide whether it needs the change before reading it; undefined for anything else.
 * An unknown kind is dropped (the listener then treats the change as one it cannot judge).
 */
export function parseChangeNotice(payload: string): ChangeNotice | undefined {
  if (typeof payload !== 'string') return undefined;
  const match = /^(\d{1,19})(?::([A-Za-z]+)(?::([\s\S]*))?)?$/.exec(payload);
  if (match === null) return undefined;
  const [, id = '', kind, key] = match;
  if (kind === undefined || !CHANGE_KINDS.has(kind)) return { id };
  return { id, kind: kind as ChangeKind, ...(key === undefined ? {} : { key }) };
}

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();
const json = (value: unknown): unknown => JSON.parse(String(value));

function draftOf(row: Record<string, unknown>): StoredDraft {
  const stored: StoredDraft = {
    draft: json(row.body) as Draft,
    version: Number(row.version),
    status: String(row.status) as DraftStatus,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    updatedBy: String(row.updated_by),
  };
  if (typeof row.submission_id === 'string') stored.submissionId = row.submission_id;
  return stored;
}

function changeOf(row: Record<string, unknown>): Change {
  const change: Change = {
    id: String(row.id),
    at: iso(row.at),
    kind: String(row.kind) as ChangeKind,
    key: String(row.key),
    actor: String(row.actor),
  };
  if (row.version !== null && row.version !== undefined) change.version = Number(row.version);
  if (typeof row.data === 'string') change.data = JSON.parse(row.data);
  return change;
}

/** `JSON.stringify` of a value to store; a cyclic, too deep or BigInt-holding one is `E_VALIDATION` at `path`. */
function storedJson(value: unknown, path: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid ${path}: expected a JSON value (no cycles, BigInts or deep nesting)`,
      {
        path,
        cause,
      },
    );
  }
}

const DRAFT_COLUMNS = 'id, version, status, submission_id, body, created_at, updated_at, updated_by';
const DRAFT_FIELDS = DRAFT_COLUMNS.split(', ');

/**
 * The drafts rows of an exclusive database (see {@link HubStoreOptions.exclusive}), shared by every
 * store on one client and table prefix. Rows are kept as read (the body as its JSON text), so each
 * read still returns a draft of its own that a caller may change. `epoch` moves on whenever a draft
 * write starts or ends: a read only keeps its row when no write started or ended while it ran, and
 * a write keeps its row only when no later write of the same draft started meanwhile, so a result
 * arriving out of order never replaces a newer one.
 */
interface DraftRows {
  rows: Map<string, Record<string, unknown>>;
  epoch: number;
  writes: Map<string, number>;
}
const DRAFT_ROWS_MAX = 2_000;
const draftRowsByClient = new WeakMap<SqlClient, Map<string, DraftRows>>();

function draftRowsOf(sql: SqlClient, prefix: string): DraftRows {
  let byPrefix = draftRowsByClient.get(sql);
  if (byPrefix === undefined) draftRowsByClient.set(sql, (byPrefix = new Map<string, DraftRows>()));
  let kept = byPrefix.get(prefix);
  if (kept === undefined)
    byPrefix.set(
      prefix,
      (kept = { rows: new Map<string, Record<string, unknown>>(), epoch: 0, writes: new Map<string, number>() }),
    );
  return kept;
}

const pickDraftRow = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(DRAFT_FIELDS.map((f) => [f, row[f]]));

/** Keeps a draft's row, the oldest out first beyond the limit. */
function keepDraftRow(kept: DraftRows, id: string, row: Record<string, unknown>): void {
  kept.rows.delete(id);
  if (kept.rows.size >= DRAFT_ROWS_MAX) {
    const oldest = kept.rows.keys().next().value;
    if (oldest !== undefined) kept.rows.delete(oldest);
  }
  kept.rows.set(id, pickDraftRow(row));
}

/**
 * Runs a write of draft `id` (exclusive databases: forgets its row first, then keeps the row the
 * write returned, or forgets it again when the write returned none, failed, or a later write of it began).
 */
async function writeDraft(
  kept: DraftRows | undefined,
  id: string,
  write: () => Promise<Record<string, unknown>[]>,
  keepReturned = true,
): Promise<Record<string, unknown>[]> {
  if (kept === undefined) return write();
  const ticket = (kept.writes.get(id) ?? 0) + 1;
  kept.writes.set(id, ticket);
  kept.epoch++;
  kept.rows.delete(id);
  try {
    const rows = await write();
    const row = rows[0];
    if (keepReturned && row !== undefined && kept.writes.get(id) === ticket) keepDraftRow(kept, id, row);
    else kept.rows.delete(id);
    return rows;
  } catch (error) {
    kept.rows.delete(id);
    throw error;
  } finally {
    kept.epoch++;
    if (kept.writes.get(id) === ticket) kept.writes.delete(id);
  }
}

/**
 * Durable hub state over any {@link SqlClient} (PGlite, `pg`, Postgres-compatible engines):
 * drafts with their versions, template versions, brand-kit versions, the hub's definition
 * documents, metrics batches and the change feed. Every write is one SQL statement that also
 * appends a change row and calls `pg_notify(channel, <notice>)` (see {@link parseChangeNotice}), so it is atomic without a
 * transaction spanning calls (a pool may run each query on another connection) and a listener
 * hears of it only once it is committed.
 */
export class HubStore {
  readonly #p: string;
  readonly channel: string;

  readonly #kept: DraftRows | undefined;

  private constructor(
    readonly sql: SqlClient,
    prefix: string,
    channel: string,
    exclusive: boolean,
  ) {
    this.#p = prefix;
    this.channel = channel;
    // The constructor is reachable from JavaScript with anything: keep rows only when really asked.
    const wanted: unknown = exclusive;
    const client: unknown = sql;
    this.#kept =
      wanted === true && typeof client === 'object' && client !== null ? draftRowsOf(sql, prefix) : undefined;
  }

  /** Opens the store on `sql`, migrating its tables unless `migrate: false`. */
  static async open(sql: SqlClient, options: HubStoreOptions = {}): Promise<HubStore> {
    checkArgs('HubStore.open', ['sql:object', 'options:object?'], [sql, options]);
    if (typeof (sql as Partial<SqlClient>).query !== 'function')
      throw new HubspokeError('E_VALIDATION', 'Invalid sql: HubStore.open expected a SqlClient with query()', {
        path: 'sql.query',
      });
    const prefix: unknown = options.tablePrefix ?? 'hub_';
    if (typeof prefix !== 'string' || !PREFIX.test(prefix))
      throw new HubspokeError(
        'E_VALIDATION',
        `tablePrefix: expected lower-case letters, digits and _, got ${typeof prefix === 'string' ? `"${prefix.slice(0, 60)}"` : typeof prefix}`,
        {
          path: 'tablePrefix',
        },
      );
    const channel: unknown = options.channel ?? CHANGES_CHANNEL;
    if (typeof channel !== 'string' || channel.length === 0 || channel.length > 63)
      throw new HubspokeError('E_VALIDATION', 'channel: expected a notification channel name of 1 to 63 characters', {
        path: 'channel',
      });
    const store = new HubStore(sql, prefix, channel, options.exclusive === true);
    if (options.migrate !== false)
      await migrateSql(sql, {
        prefix,
        history: 'migrations',
        migrations: HUB_MIGRATIONS,
        owner: '@hubspoke/hub',
        toError: toStoreError,
      });
    return store;
  }

  async #run(operation: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    try {
      return (await this.sql.query(text, params)).rows;
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  /**
   * `write` (a data-modifying statement with `RETURNING`) plus one change row and its
   * notification, as one statement; nothing is recorded when `write` returns no row. `$1`–`$4`
   * are the change's kind, key, actor and data; the write's own parameters follow. `before`
   * holds further common table expressions the write may use, `after` ones that use `w`.
   */
  async #writeWithChange(
    operation: string,
    write: string,
    versionColumn: string | undefined,
    change: { kind: ChangeKind; key: string; actor: string; data?: unknown },
    params: unknown[],
    before = '',
    after = '',
  ): Promise<Record<string, unknown>[]> {
    const p = this.#p;
    return this.#run(
      operation,
      `WITH ${before === '' ? '' : `${before},`} w AS (${write}), ${after === '' ? '' : `${after},`}
        c AS (INSERT INTO ${p}changes (at, kind, key, version, actor, data)
              SELECT now(), $1, $2, ${versionColumn === undefined ? 'NULL::integer' : `w1.${versionColumn}`}, $3, $4
              FROM (SELECT * FROM w LIMIT 1) w1 RETURNING id, kind, key)
        SELECT w.*, c.id::text AS change_id, pg_notify($${params.length + 5}, ${NOTICE}) AS notified FROM w CROSS JOIN c`,
      [
        change.kind,
        change.key,
        change.actor,
        change.data === undefined ? null : storedJson(change.data, 'data'),
        ...params,
        this.channel,
      ],
    );
  }

  // ── Drafts ──────────────────────────────────────────────────────────────────────────────

  async getDraft(id: string): Promise<StoredDraft | undefined> {
    const kept = this.#kept;
    const found = kept?.rows.get(id);
    if (found !== undefined) return draftOf(found);
    const epoch = kept?.epoch;
    const rows = await this.#run('read a draft', `SELECT ${DRAFT_COLUMNS} FROM ${this.#p}drafts WHERE id = $1`, [id]);
    const row = rows[0];
    if (row === undefined) return undefined;
    if (kept !== undefined && kept.epoch === epoch) keepDraftRow(kept, id, row);
    return draftOf(row);
  }

  /** One saved version of a draft (every save is kept). */
  async getDraftVersion(id: string, version: number): Promise<Draft | undefined> {
    const rows = await this.#run(
      'read a draft version',
      `SELECT body FROM ${this.#p}draft_versions WHERE id = $1 AND version = $2`,
      [id, version],
    );
    return rows[0] === undefined ? undefined : (json(rows[0].body) as Draft);
  }

  /** Drafts matching the filters, most recently updated first. */
  async listDrafts(query: DraftQuery = {}): Promise<StoredDraft[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    add('region', query.region);
    add('team', query.team);
    add('status', query.status);
    add('author', query.author);
    add('template_id', query.templateId);
    params.push(Math.min(Math.max(query.limit ?? 50, 0), 1000), Math.max(query.offset ?? 0, 0));
    const rows = await this.#run(
      'list drafts',
      `SELECT ${DRAFT_COLUMNS} FROM ${this.#p}drafts ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
       ORDER BY updated_at DESC, id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map(draftOf);
  }

  /**
   * Stores a new draft at version 1 (its `version` field is set to it), or at the draft's own
   * version with `keepVersion` (an import); `E_CONFLICT` when the id is taken.
   */
  async createDraft(input: Draft, actor: string, options: { keepVersion?: boolean } = {}): Promise<StoredDraft> {
    const draft = { ...input, version: options.keepVersion === true ? input.version : 1 };
    const p = this.#p;
    const rows = await writeDraft(this.#kept, draft.id, () =>
      this.#writeWithChange(
        'create a draft',
        `INSERT INTO ${p}drafts (id, version, name, template_id, template_version, author, region, team, status, body, created_at, updated_at, updated_by)
       VALUES ($5, $13, $6, $7, $8, $9, $10, $11, 'draft', $12, now(), now(), $3)
       ON CONFLICT (id) DO NOTHING RETURNING ${DRAFT_COLUMNS}`,
        'version',
        { kind: 'draft', key: draft.id, actor },
        [...draftColumns(draft), draft.version],
        '',
        this.#keepVersion(),
      ),
    );
    const row = rows[0];
    if (row === undefined)
      throw new HubspokeError('E_CONFLICT', `draft ${draft.id} already exists`, {
        path: 'id',
        details: { reason: 'exists', draftId: draft.id },
        hint: 'pick another id, or update the existing draft',
      });
    return draftOf(row);
  }

  /**
   * Saves a new version of a draft if it is still at `expectedVersion`; `E_CONFLICT` (reason
   * `stale`, with the current version) when someone saved in between, `E_NOT_FOUND` when it is gone.
   * The new version is `expectedVersion + 1`, or `version` when that is higher (an import).
   */
  async updateDraft(
    input: Draft,
    expectedVersion: number,
    actor: string,
    options: { version?: number; unlessApproved?: boolean } = {},
  ): Promise<StoredDraft> {
    const draft = { ...input, version: Math.max(expectedVersion + 1, options.version ?? 0) };
    const p = this.#p;
    const rows = await writeDraft(this.#kept, draft.id, () =>
      this.#writeWithChange(
        'save a draft',
        `UPDATE ${p}drafts SET version = $14, name = $6, template_id = $7, template_version = $8, author = $9,
         region = $10, team = $11, body = $12, updated_at = now(), updated_by = $3
       WHERE id = $5 AND version = $13${options.unlessApproved === true ? ` AND status <> 'approved'` : ''} RETURNING ${DRAFT_COLUMNS}`,
        'version',
        { kind: 'draft', key: draft.id, actor },
        [...draftColumns(draft), expectedVersion, draft.version],
        '',
        this.#keepVersion(),
      ),
    );
    const row = rows[0];
    if (row === undefined) {
      const current = await this.getDraft(draft.id);
      if (current === undefined) throw new HubspokeError('E_NOT_FOUND', `draft ${draft.id}: no such draft`);
      if (options.unlessApproved === true && current.status === 'approved') throw approvedReadOnly(draft.id);
      throw new HubspokeError(
        'E_CONFLICT',
        `draft ${draft.id}: it is at version ${current.version}, not ${expectedVersion} (someone saved it in between)`,
        {
          details: { reason: 'stale', draftId: draft.id, expectedVersion, currentVersion: current.version },
          hint: 'load the current version, apply your change again, and save',
        },
      );
    }
    return draftOf(row);
  }

  /**
   * Starts a new version of an approved draft: the same content at the next version, editable
   * again (status `draft`, no submission yet), written with a `draft` change (data
   * `{ action: 'newVersion', from }`) as the audit of who reopened it. `E_CONFLICT` when the draft
   * is not approved (reason `notApproved`) or was saved in between (reason `stale`).
   */
  async startNewVersion(id: string, actor: string, expectedVersion?: number): Promise<StoredDraft> {
    const current = await this.getDraft(id);
    if (current === undefined) throw new HubspokeError('E_NOT_FOUND', `draft ${id}: no such draft`, { path: 'id' });
    if (current.status !== 'approved')
      throw new HubspokeError(
        'E_CONFLICT',
        `draft ${id} is ${current.status}: only an approved draft starts a new version`,
        {
          details: { reason: 'notApproved', draftId: id, status: current.status },
          hint: 'edit it as it is; a new version is for approved drafts, which are read-only',
        },
      );
    const from = expectedVersion ?? current.version;
    const draft = { ...current.draft, version: from + 1 };
    const p = this.#p;
    const rows = await writeDraft(this.#kept, id, () =>
      this.#writeWithChange(
        'start a new version of a draft',
        `UPDATE ${p}drafts SET version = $14, name = $6, template_id = $7, template_version = $8, author = $9,
         region = $10, team = $11, body = $12, status = 'draft', submission_id = NULL, updated_at = now(), updated_by = $3
       WHERE id = $5 AND version = $13 AND status = 'approved' RETURNING ${DRAFT_COLUMNS}`,
        'version',
        { kind: 'draft', key: id, actor, data: { action: 'newVersion', from } },
        [...draftColumns(draft), from, draft.version],
        '',
        this.#keepVersion(),
      ),
    );
    const row = rows[0];
    if (row === undefined) {
      const now = await this.getDraft(id);
      if (now === undefined) throw new HubspokeError('E_NOT_FOUND', `draft ${id}: no such draft`, { path: 'id' });
      if (now.status !== 'approved')
        throw new HubspokeError(
          'E_CONFLICT',
          `draft ${id} is ${now.status}: only an approved draft starts a new version`,
          {
            details: { reason: 'notApproved', draftId: id, status: now.status },
          },
        );
      throw new HubspokeError('E_CONFLICT', `draft ${id}: it is at version ${now.version}, not ${from}`, {
        details: { reason: 'stale', draftId: id, expectedVersion: from, currentVersion: now.version },
        hint: 'load the current version and try again',
      });
    }
    return draftOf(row);
  }

  #keepVersion(): string {
    // Every saved version is kept, in the same statement as the save.
    return `v AS (INSERT INTO ${this.#p}draft_versions (id, version, body, saved_at, saved_by)
      SELECT id, version, body, now(), $3 FROM w ON CONFLICT (id, version) DO NOTHING RETURNING id)`;
  }

  /**
   * Records where a draft is in review (a derived index for listing by status) and appends a
   * `submission` change (key: the submission id) for live updates of the review.
   */
  async recordReview(
    draftId: string,
    submissionId: string,
    status: Exclude<DraftStatus, 'draft'>,
    actor: string,
    data: Record<string, unknown> = {},
  ): Promise<Change> {
    const p = this.#p;
    // The review status is in the draft's row: it is read again after this.
    const rows = await writeDraft(
      this.#kept,
      draftId,
      () =>
        this.#run(
          'record a review change',
          `WITH u AS (UPDATE ${p}drafts SET status = $5, submission_id = $2 WHERE id = $6 RETURNING id),
        c AS (INSERT INTO ${p}changes (at, kind, key, version, actor, data) VALUES (now(), $1, $2, NULL, $3, $4) RETURNING *)
        SELECT c.id::text AS id, c.at, c.kind, c.key, c.version, c.actor, c.data, pg_notify($7, ${NOTICE}) AS notified FROM c`,
          [
            'submission',
            submissionId,
            actor,
            storedJson({ draftId, status, ...data }, 'data'),
            status,
            draftId,
            this.channel,
          ],
        ),
      false,
    );
    const row = rows[0];
    if (row === undefined) throw new HubspokeError('E_INTERNAL', 'record a review change: no change row was written');
    return changeOf(row);
  }

  /** Appends a test send (requested, sent, refused or failed) to the change feed: the audit of who sent what to whom. */
  async recordTestSend(key: string, actor: string, data: unknown): Promise<Change> {
    const p = this.#p;
    const rows = await this.#run(
      'record a test send',
      `WITH c AS (INSERT INTO ${p}changes (at, kind, key, version, actor, data) VALUES (now(), 'testSend', $1, NULL, $2, $3) RETURNING *)
        SELECT c.id::text AS id, c.at, c.kind, c.key, c.version, c.actor, c.data, pg_notify($4, ${NOTICE}) AS notified FROM c`,
      [key, actor, storedJson(data, 'data'), this.channel],
    );
    const row = rows[0];
    if (row === undefined) throw new HubspokeError('E_INTERNAL', 'record a test send: no change row was written');
    return changeOf(row);
  }

  // ── Templates and the brand kit ─────────────────────────────────────────────────────────

  async templates(): Promise<StoredTemplate[]> {
    const rows = await this.#run(
      'read the templates',
      `SELECT body, source, saved_at, saved_by FROM ${this.#p}templates ORDER BY id, version`,
    );
    return rows.map((row) => ({
      template: json(row.body) as Template,
      ...(typeof row.source === 'string' ? { source: row.source } : {}),
      savedAt: iso(row.saved_at),
      savedBy: String(row.saved_by),
    }));
  }

  /**
   * Stores a template version. A version is published once: the same content again is a no-op
   * (`created: false`), other content for an existing version is `E_CONFLICT` unless `replace`
   * (a folder import mirrors the folder, where templates are edited in place).
   */
  async putTemplate(
    template: Template,
    source: string | undefined,
    actor: string,
    options: { replace?: boolean } = {},
  ): Promise<{ created: boolean; changed: boolean }> {
    const body = storedJson(template, 'template');
    const p = this.#p;
    const existing = await this.#run(
      'read a template',
      `SELECT body FROM ${p}templates WHERE id = $1 AND version = $2`,
      [template.id, template.version],
    );
    const old = existing[0];
    if (old !== undefined && String(old.body) === body) return { created: false, changed: false };
    if (old !== undefined && options.replace !== true)
      throw new HubspokeError(
        'E_CONFLICT',
        `template ${template.id}@${template.version} is already published with other content`,
        {
          path: 'version',
          details: { reason: 'published', templateId: template.id, version: template.version },
          hint: `publish it as version ${template.version + 1}`,
        },
      );
    await this.#writeWithChange(
      'save a template',
      `INSERT INTO ${p}templates (id, version, body, source, saved_at, saved_by) VALUES ($2, $5, $6, $7, now(), $3)
       ON CONFLICT (id, version) DO UPDATE SET body = EXCLUDED.body, source = EXCLUDED.source,
         saved_at = EXCLUDED.saved_at, saved_by = EXCLUDED.saved_by RETURNING version`,
      'version',
      { kind: 'template', key: template.id, actor },
      [template.version, body, source ?? null],
    );
    return { created: old === undefined, changed: true };
  }

  /** The current brand kit and its version, or undefined before one is saved. */
  async brandKit(): Promise<{ brandKit: BrandKit; version: number } | undefined> {
    const rows = await this.#run(
      'read the brand kit',
      `SELECT version, body FROM ${this.#p}brand_kits ORDER BY version DESC LIMIT 1`,
    );
    const row = rows[0];
    return row === undefined ? undefined : { brandKit: json(row.body) as BrandKit, version: Number(row.version) };
  }

  /**
   * Saves a new brand-kit version (the same content again is a no-op). With `expectedVersion`,
   * `E_CONFLICT` when another version was saved in between.
   */
  async putBrandKit(brandKit: BrandKit, actor: string, expectedVersion?: number): Promise<number> {
    const current = await this.brandKit();
    const body = storedJson(brandKit, 'brandKit');
    if (expectedVersion !== undefined && (current?.version ?? 0) !== expectedVersion)
      throw new HubspokeError(
        'E_CONFLICT',
        `brand kit: it is at version ${current?.version ?? 0}, not ${expectedVersion}`,
        { details: { reason: 'stale', expectedVersion, currentVersion: current?.version ?? 0 } },
      );
    if (current !== undefined && JSON.stringify(current.brandKit) === body) return current.version;
    const next = (current?.version ?? 0) + 1;
    const rows = await this.#writeWithChange(
      'save the brand kit',
      `INSERT INTO ${this.#p}brand_kits (version, body, saved_at, saved_by) VALUES ($5, $6, now(), $3)
       ON CONFLICT (version) DO NOTHING RETURNING version`,
      'version',
      { kind: 'brandKit', key: 'brandKit', actor },
      [next, body],
    );
    if (rows.length === 0)
      throw new HubspokeError('E_CONFLICT', `brand kit: version ${next} was saved by someone else in between`, {
        details: { reason: 'stale', currentVersion: next },
      });
    return next;
  }

  // ── Definition documents ────────────────────────────────────────────────────────────────

  async documents<T = unknown>(kind: DocumentKind): Promise<StoredDocument<T>[]> {
    const rows = await this.#run(
      'read the hub definition',
      `SELECT kind, key, version, body FROM ${this.#p}documents WHERE kind = $1 ORDER BY key`,
      [kind],
    );
    return rows.map((row) => ({
      kind: String(row.kind) as DocumentKind,
      key: String(row.key),
      version: Number(row.version),
      body: json(row.body) as T,
    }));
  }

  async document<T = unknown>(kind: DocumentKind, key = ''): Promise<StoredDocument<T> | undefined> {
    return (await this.documents<T>(kind)).find((d) => d.key === key);
  }

  /** Saves a definition document (a new version of it); the same content again is a no-op. */
  async putDocument(kind: DocumentKind, key: string, body: unknown, actor: string): Promise<number> {
    const text = storedJson(body, 'body');
    const current = await this.document(kind, key);
    if (current !== undefined && JSON.stringify(current.body) === text) return current.version;
    const rows = await this.#writeWithChange(
      'save the hub definition',
      `INSERT INTO ${this.#p}documents (kind, key, version, body, saved_at, saved_by) VALUES ($5, $6, 1, $7, now(), $3)
       ON CONFLICT (kind, key) DO UPDATE SET version = ${this.#p}documents.version + 1, body = EXCLUDED.body,
         saved_at = EXCLUDED.saved_at, saved_by = EXCLUDED.saved_by RETURNING version`,
      'version',
      { kind: 'document', key: key === '' ? kind : `${kind}/${key}`, actor },
      [kind, key, text],
    );
    return Number(rows[0]?.version ?? 0);
  }

  // ── Metrics batches ─────────────────────────────────────────────────────────────────────

  /** Starts a batch, invisible until committed. Returns its id. */
  async beginMetricBatch(spec: MetricBatchSpec): Promise<string> {
    const id = randomUUID();
    await this.#run(
      'start a metrics batch',
      `INSERT INTO ${this.#p}metric_batches (id, key, kind, scope, since_ms, until_ms, source, row_count, committed, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 0, false, now())`,
      [
        id,
        spec.key,
        spec.kind,
        spec.scope ?? null,
        spec.since?.getTime() ?? null,
        spec.until?.getTime() ?? null,
        spec.source,
      ],
    );
    return id;
  }

  /** Appends rows to a pending batch; `first` is the number of rows it already holds. */
  async appendMetricRows(batchId: string, first: number, rows: readonly CampaignMetrics[]): Promise<void> {
    if (rows.length === 0) return;
    const params: unknown[] = [batchId];
    const values = rows.map((row, i) => {
      params.push(first + i, storedJson(row, `rows[${i}]`));
      return `($1, $${params.length - 1}, $${params.length})`;
    });
    await this.#run(
      'write metrics rows',
      `INSERT INTO ${this.#p}metric_rows (batch_id, n, body) VALUES ${values.join(', ')}`,
      params,
    );
  }

  /**
   * Makes pending batches visible together, in one statement: earlier committed batches with the
   * same keys, and the batches named in `replaces`, are deleted with their rows.
   */
  async commitMetricBatches(
    batches: readonly { id: string; rows: number }[],
    replaces: readonly string[],
    actor: string,
  ): Promise<void> {
    if (batches.length === 0) return;
    const p = this.#p;
    const ids = batches.map((b) => b.id);
    const params: unknown[] = [];
    const list = (values: readonly unknown[]) =>
      values.length === 0
        ? 'NULL'
        : values
            .map((v) => {
              params.push(v);
              return `$${params.length + 4}`;
            })
            .join(', ');
    const newIds = list(ids);
    const counts = batches
      .map((b) => {
        params.push(b.id, b.rows);
        return `WHEN $${params.length + 3} THEN $${params.length + 4}::integer`;
      })
      .join(' ');
    const replaced = list(replaces);
    await this.#writeWithChange(
      'commit metrics batches',
      `UPDATE ${p}metric_batches SET committed = true, row_count = CASE id ${counts} END
       WHERE id IN (${newIds}) AND NOT committed RETURNING id`,
      undefined,
      { kind: 'metrics', key: 'metrics', actor, data: { batches: ids.length } },
      params,
      `old AS (
         SELECT id FROM ${p}metric_batches
         WHERE committed AND (key IN (SELECT key FROM ${p}metric_batches WHERE id IN (${newIds})) OR id IN (${replaced}))),
       gone AS (DELETE FROM ${p}metric_rows WHERE batch_id IN (SELECT id FROM old) RETURNING batch_id),
       dropped AS (DELETE FROM ${p}metric_batches WHERE id IN (SELECT id FROM old) RETURNING id)`,
    );
  }

  /** Deletes a pending batch and its rows (an import that failed). */
  async abortMetricBatch(batchId: string): Promise<void> {
    const p = this.#p;
    await this.#run(
      'drop a metrics batch',
      `WITH r AS (DELETE FROM ${p}metric_rows WHERE batch_id = $1 RETURNING batch_id)
       DELETE FROM ${p}metric_batches WHERE id = $1 AND NOT committed`,
      [batchId],
    );
  }

  /** Committed batches, oldest first. */
  async metricBatches(): Promise<MetricBatchInfo[]> {
    const rows = await this.#run(
      'list metrics batches',
      `SELECT id, key, kind, scope, since_ms, until_ms, row_count FROM ${this.#p}metric_batches WHERE committed ORDER BY created_at, id`,
    );
    return rows.map((row) => ({
      id: String(row.id),
      key: String(row.key),
      kind: String(row.kind) as 'import' | 'pull',
      ...(typeof row.scope === 'string' ? { scope: row.scope } : {}),
      ...(row.since_ms === null ? {} : { since: new Date(Number(row.since_ms)) }),
      ...(row.until_ms === null ? {} : { until: new Date(Number(row.until_ms)) }),
      rows: Number(row.row_count),
    }));
  }

  /** Every row of a committed batch, read a page at a time (memory stays flat). */
  async *metricRows(batchId: string, pageSize = 2000): AsyncGenerator<CampaignMetrics> {
    for (let after = -1; ;) {
      const rows = await this.#run(
        'read metrics rows',
        `SELECT n, body FROM ${this.#p}metric_rows WHERE batch_id = $1 AND n > $2 ORDER BY n LIMIT $3`,
        [batchId, after, pageSize],
      );
      for (const row of rows) yield json(row.body) as CampaignMetrics;
      if (rows.length < pageSize) return;
      after = Number(rows.at(-1)?.n);
    }
  }

  // ── The change feed ─────────────────────────────────────────────────────────────────────

  /**
   * Changes after `id` (exclusive; `'0'` for all), oldest first, at most `limit` (default 500).
   * For backfill after a reconnect or an SSE `Last-Event-ID`. Ids come from a sequence: under
   * concurrent writers on PostgreSQL a lower id can commit just after a higher one, so a live
   * listener reads each notified id with {@link change} and uses this only to catch up.
   */
  async changesSince(id: string, limit = 500): Promise<Change[]> {
    if (!/^\d{1,19}$/.test(id))
      throw new HubspokeError('E_VALIDATION', `change id: expected a decimal number, got "${id}"`, { path: 'id' });
    const rows = await this.#run(
      'read the change feed',
      `SELECT c.id::text AS id, c.at, c.kind, c.key, c.version, c.actor, c.data FROM ${this.#p}changes c
       WHERE c.id > $1::bigint ORDER BY c.id LIMIT $2`,
      [id, Math.min(Math.max(limit, 1), 10_000)],
    );
    return rows.map(changeOf);
  }

  /** One change by id (the payload of a notification). */
  async change(id: string): Promise<Change | undefined> {
    if (!/^\d{1,19}$/.test(id)) return undefined;
    const rows = await this.#run(
      'read the change feed',
      `SELECT id::text AS id, at, kind, key, version, actor, data FROM ${this.#p}changes WHERE id = $1::bigint`,
      [id],
    );
    return rows[0] === undefined ? undefined : changeOf(rows[0]);
  }
}

/** A save of an approved draft: it is read-only until a new version is started. */
export function approvedReadOnly(id: string): HubspokeError {
  return new HubspokeError('E_CONFLICT', `draft ${id} is approved and read-only: start a new version to change it`, {
    details: { reason: 'approved', draftId: id },
    hint: `POST /api/drafts/${id}/versions (hubspoke: Hub.startNewVersion), then edit the new version`,
  });
}

function draftColumns(draft: Draft): unknown[] {
  return [
    draft.id,
    draft.name,
    draft.template.id,
    draft.template.version,
    draft.author,
    draft.region ?? null,
    draft.team ?? null,
    storedJson(draft, 'input'),
  ];
}

/**
 * The public methods' arguments (see `guardMethods`): the store, which is exported, throws only
 * HubspokeErrors whatever a caller passes.
 */
const METHOD_ARGS: Readonly<Record<string, readonly ArgSpec[]>> = {
  getDraft: ['id:string'],
  getDraftVersion: ['id:string', 'version:number'],
  listDrafts: ['query:object?'],
  createDraft: ['input:object', 'actor:string', 'options:object?'],
  updateDraft: ['input:object', 'expectedVersion:number', 'actor:string', 'options:object?'],
  startNewVersion: ['id:string', 'actor:string', 'expectedVersion:number?'],
  recordReview: ['draftId:string', 'submissionId:string', 'status:string', 'actor:string', 'data:object?'],
  recordTestSend: ['key:string', 'actor:string', 'data:any'],
  templates: [],
  putTemplate: ['template:object', 'source:string?', 'actor:string', 'options:object?'],
  brandKit: [],
  putBrandKit: ['brandKit:object', 'actor:string', 'expectedVersion:number?'],
  documents: ['kind:string'],
  document: ['kind:string', 'key:string?'],
  putDocument: ['kind:string', 'key:string', 'body:any', 'actor:string'],
  beginMetricBatch: ['spec:object'],
  appendMetricRows: ['batchId:string', 'first:number', 'rows:array'],
  commitMetricBatches: ['batches:array', 'replaces:array', 'actor:string'],
  abortMetricBatch: ['batchId:string'],
  metricBatches: [],
  metricRows: ['batchId:string', 'pageSize:number?'],
  changesSince: ['id:string', 'limit:number?'],
  change: ['id:string'],
};

// A template's MJML source is content, not a name.
guardMethods('HubStore', HubStore.prototype, METHOD_ARGS, { content: ['source'] });
