import {
  HubspokeError,
  PrincipalSchema,
  migrateSql,
  parse,
  type Principal,
  type SqlClient,
  type SqlMigration,
} from '@hubspoke/core';
import { API_TOKEN_PREFIX, isWellFormedApiToken, newApiToken, randomBase62, sha256Hex, tokenHint } from './secrets.js';
import { SCOPES, type Identity, type Scope } from './types.js';

const PREFIX = 'hubspoke_server_';

const MIGRATIONS: readonly SqlMigration[] = [
  {
    version: 1,
    name: 'sessions, sign-ins and API tokens',
    statements: (p) => [
      `CREATE TABLE IF NOT EXISTS ${p}sessions (id_hash text NOT NULL, principal text NOT NULL, identity text NOT NULL, csrf_token text NOT NULL, created_at bigint NOT NULL, seen_at bigint NOT NULL, expires_at bigint NOT NULL, CONSTRAINT ${p}sessions_pkey PRIMARY KEY (id_hash))`,
      `CREATE TABLE IF NOT EXISTS ${p}sign_ins (state_hash text NOT NULL, code_verifier text NOT NULL, nonce text NOT NULL, return_to text NOT NULL, created_at bigint NOT NULL, CONSTRAINT ${p}sign_ins_pkey PRIMARY KEY (state_hash))`,
      `CREATE TABLE IF NOT EXISTS ${p}api_tokens (id text NOT NULL, token_hash text NOT NULL, hint text NOT NULL, name text NOT NULL, owner_id text NOT NULL, principal text NOT NULL, identity text NOT NULL, scopes text NOT NULL, created_at bigint NOT NULL, expires_at bigint NOT NULL, revoked_at bigint, last_used_at bigint, CONSTRAINT ${p}api_tokens_pkey PRIMARY KEY (id), CONSTRAINT ${p}api_tokens_hash UNIQUE (token_hash))`,
      `CREATE INDEX IF NOT EXISTS ${p}api_tokens_owner ON ${p}api_tokens (owner_id)`,
    ],
  },
];

export interface SessionPolicy {
  /** A session unused this long ends (ms). Default 8 hours. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not (ms). Default 7 days. */
  absoluteMs: number;
}

export interface StoredSession {
  principal: Principal;
  identity: Identity;
  csrfToken: string;
  sessionId: string;
}

export interface ApiTokenRecord {
  id: string;
  name: string;
  hint: string;
  ownerId: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
  lastUsedAt?: string;
}

type Row = Record<string, unknown>;

interface KeptSession {
  principal: Principal;
  identity: Identity;
  csrfToken: string;
  seenAt: number;
  expiresAt: number;
}

/**
 * Sessions read from a database that only this process can open (PGlite: its folder is locked to
 * one process, or it lives in memory), kept by session-id hash and shared by every store over the
 * same client, so a sign-out through any of them ends the session for all at once. A PostgreSQL
 * database is shared by instances: there every request reads the session from the database.
 */
const keptSessions = new WeakMap<SqlClient, Map<string, KeptSession>>();
const KEPT_SESSIONS_MAX = 10_000;

const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();

/**
 * Sessions, browser sign-ins in flight and API tokens, in the hub's database so any number of
 * instances share them. Only hashes of session ids, sign-in states and tokens are stored.
 */
/**
 * A failed query: the database being unreachable, overloaded or shutting down (no SQLSTATE, as for
 * a pool's connect timeout, or classes 08, 53 and 57) is `E_UPSTREAM` (502: retry later, like the
 * hub's own stores); anything else is a bug here, `E_INTERNAL`.
 */
export function storeError(cause: unknown): HubspokeError {
  const code = (cause as { code?: unknown } | null)?.code;
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  if (sqlState === undefined || ['08', '53', '57'].includes(sqlState.slice(0, 2))) {
    return new HubspokeError('E_UPSTREAM', 'The database did not answer the identity lookup; retry shortly', {
      cause,
    });
  }
  return new HubspokeError('E_INTERNAL', 'The identity store failed', { cause });
}

export class IdentityStore {
  readonly #sql: SqlClient;
  readonly #now: () => number;
  readonly #policy: SessionPolicy;
  readonly #kept: Map<string, KeptSession> | undefined;

  /**
   * `exclusive`: this process is the database's only client (PGlite), so sessions are kept in
   * memory after their first read instead of read on every request.
   */
  constructor(
    sql: SqlClient,
    options: { now?: () => number; sessions?: Partial<SessionPolicy>; exclusive?: boolean } = {},
  ) {
    this.#sql = sql;
    this.#now = options.now ?? Date.now;
    this.#policy = { idleMs: 8 * 3600_000, absoluteMs: 7 * 86400_000, ...options.sessions };
    if (options.exclusive === true) {
      let kept = keptSessions.get(sql);
      if (kept === undefined) keptSessions.set(sql, (kept = new Map<string, KeptSession>()));
      this.#kept = kept;
    }
  }

  async migrate(): Promise<void> {
    await migrateSql(this.#sql, {
      prefix: PREFIX,
      history: 'migrations',
      migrations: MIGRATIONS,
      owner: '@hubspoke/server',
      toError: (cause, operation) => new HubspokeError('E_INTERNAL', `The server could not ${operation}`, { cause }),
    });
  }

  async #query(text: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await this.#sql.query(text, params)).rows;
    } catch (cause) {
      throw storeError(cause);
    }
  }

  // Sessions

  async createSession(principal: Principal, identity: Identity): Promise<StoredSession> {
    const sessionId = randomBase62(43);
    const csrfToken = randomBase62(32);
    const now = this.#now();
    await this.#query(
      `INSERT INTO ${PREFIX}sessions (id_hash, principal, identity, csrf_token, created_at, seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)`,
      [
        sha256Hex(sessionId),
        JSON.stringify(principal),
        JSON.stringify(identity),
        csrfToken,
        now,
        now + this.#policy.absoluteMs,
      ],
    );
    return { principal, identity, csrfToken, sessionId };
  }

  async findSession(sessionId: string): Promise<StoredSession | undefined> {
    if (!/^[0-9A-Za-z]{43}$/.test(sessionId)) return undefined;
    const hash = sha256Hex(sessionId);
    let session = this.#kept?.get(hash);
    if (session === undefined) {
      const rows = await this.#query(
        `SELECT principal, identity, csrf_token, seen_at, expires_at FROM ${PREFIX}sessions WHERE id_hash = $1`,
        [hash],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      session = {
        principal: parse(PrincipalSchema, JSON.parse(String(row.principal)), 'session.principal'),
        identity: JSON.parse(String(row.identity)) as Identity,
        csrfToken: String(row.csrf_token),
        seenAt: Number(row.seen_at),
        expiresAt: Number(row.expires_at),
      };
      if (this.#kept !== undefined) {
        if (this.#kept.size >= KEPT_SESSIONS_MAX) this.#kept.clear();
        this.#kept.set(hash, session);
      }
    }
    const now = this.#now();
    if (now >= session.expiresAt || now - session.seenAt >= this.#policy.idleMs) {
      this.#kept?.delete(hash);
      await this.#query(`DELETE FROM ${PREFIX}sessions WHERE id_hash = $1`, [hash]);
      return undefined;
    }
    // One write a minute at most keeps the idle clock honest without a write per request.
    if (now - session.seenAt > 60_000) {
      await this.#query(`UPDATE ${PREFIX}sessions SET seen_at = $2 WHERE id_hash = $1`, [hash, now]);
      session.seenAt = now;
    }
    return { principal: session.principal, identity: session.identity, csrfToken: session.csrfToken, sessionId };
  }

  async deleteSession(sessionId: string): Promise<void> {
    const hash = sha256Hex(sessionId);
    this.#kept?.delete(hash);
    await this.#query(`DELETE FROM ${PREFIX}sessions WHERE id_hash = $1`, [hash]);
  }

  // Browser sign-ins in flight (state → PKCE verifier and nonce), single use, ten minutes.

  async putSignIn(state: string, codeVerifier: string, nonce: string, returnTo: string): Promise<void> {
    const now = this.#now();
    await this.#query(`DELETE FROM ${PREFIX}sign_ins WHERE created_at < $1`, [now - 600_000]);
    await this.#query(
      `INSERT INTO ${PREFIX}sign_ins (state_hash, code_verifier, nonce, return_to, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [sha256Hex(state), codeVerifier, nonce, returnTo, now],
    );
  }

  async takeSignIn(state: string): Promise<{ codeVerifier: string; nonce: string; returnTo: string } | undefined> {
    const rows = await this.#query(
      `DELETE FROM ${PREFIX}sign_ins WHERE state_hash = $1 RETURNING code_verifier, nonce, return_to, created_at`,
      [sha256Hex(state)],
    );
    const row = rows[0];
    if (row === undefined || this.#now() - Number(row.created_at) > 600_000) return undefined;
    return { codeVerifier: String(row.code_verifier), nonce: String(row.nonce), returnTo: String(row.return_to) };
  }

  // API tokens

  async createApiToken(input: {
    name: string;
    principal: Principal;
    identity: Identity;
    scopes: readonly Scope[];
    expiresInDays: number;
  }): Promise<{ token: string; record: ApiTokenRecord }> {
    const token = newApiToken();
    const id = `tok_${randomBase62(16)}`;
    const now = this.#now();
    const expires = now + input.expiresInDays * 86400_000;
    const scopes = SCOPES.filter((s) => input.scopes.includes(s));
    await this.#query(
      `INSERT INTO ${PREFIX}api_tokens (id, token_hash, hint, name, owner_id, principal, identity, scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        sha256Hex(token),
        tokenHint(token),
        input.name,
        input.principal.id,
        JSON.stringify(input.principal),
        JSON.stringify(input.identity),
        JSON.stringify(scopes),
        now,
        expires,
      ],
    );
    return {
      token,
      record: {
        id,
        name: input.name,
        hint: tokenHint(token),
        ownerId: input.principal.id,
        scopes,
        createdAt: iso(now),
        expiresAt: iso(expires),
      },
    };
  }

  /** The token's owner and scopes, or undefined when it is malformed, unknown, expired or revoked. */
  async findApiToken(
    token: string,
  ): Promise<{ id: string; principal: Principal; identity: Identity; scopes: Set<Scope> } | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX) || !isWellFormedApiToken(token)) return undefined;
    const rows = await this.#query(
      `SELECT id, principal, identity, scopes, expires_at, revoked_at, last_used_at FROM ${PREFIX}api_tokens WHERE token_hash = $1`,
      [sha256Hex(token)],
    );
    const row = rows[0];
    const now = this.#now();
    if (row === undefined || row.revoked_at != null || now >= Number(row.expires_at)) return undefined;
    if (row.last_used_at == null || now - Number(row.last_used_at) > 60_000) {
      await this.#query(`UPDATE ${PREFIX}api_tokens SET last_used_at = $2 WHERE id = $1`, [row.id, now]);
    }
    return {
      id: String(row.id),
      principal: parse(PrincipalSchema, JSON.parse(String(row.principal)), 'apiToken.principal'),
      identity: JSON.parse(String(row.identity)) as Identity,
      scopes: new Set(JSON.parse(String(row.scopes)) as Scope[]),
    };
  }

  async listApiTokens(ownerId: string): Promise<ApiTokenRecord[]> {
    const rows = await this.#query(
      `SELECT id, name, hint, owner_id, scopes, created_at, expires_at, revoked_at, last_used_at FROM ${PREFIX}api_tokens WHERE owner_id = $1 ORDER BY created_at, id`,
      [ownerId],
    );
    return rows.map((row) => ({
      id: String(row.id),
      name: String(row.name),
      hint: String(row.hint),
      ownerId: String(row.owner_id),
      scopes: JSON.parse(String(row.scopes)) as Scope[],
      createdAt: iso(row.created_at),
      expiresAt: iso(row.expires_at),
      ...(row.revoked_at == null ? {} : { revokedAt: iso(row.revoked_at) }),
      ...(row.last_used_at == null ? {} : { lastUsedAt: iso(row.last_used_at) }),
    }));
  }

  /** Revokes the owner's token; false when the owner has no such token. */
  async revokeApiToken(ownerId: string, id: string): Promise<boolean> {
    const rows = await this.#query(
      `UPDATE ${PREFIX}api_tokens SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND owner_id = $2 RETURNING id`,
      [id, ownerId, this.#now()],
    );
    return rows.length > 0;
  }

  async ping(): Promise<void> {
    await this.#query('SELECT 1', []);
  }
}
