/** One schema change. Statements are idempotent, so two processes migrating at once both end up right. */
export interface Migration {
  version: number;
  name: string;
  statements: (prefix: string) => string[];
}

/** The store's schema history. Append new migrations; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, idempotency keys, submissions, snapshots',
    statements: (p) => [
      `CREATE TABLE IF NOT EXISTS ${p}events (
        stream_id text NOT NULL,
        seq integer NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        at text NOT NULL,
        body text NOT NULL,
        CONSTRAINT ${p}events_pkey PRIMARY KEY (stream_id, seq)
      )`,
      `CREATE TABLE IF NOT EXISTS ${p}idempotency (
        idempotency_key text NOT NULL,
        stream_id text NOT NULL,
        first_seq integer NOT NULL,
        last_seq integer NOT NULL,
        request_hash text NOT NULL,
        CONSTRAINT ${p}idempotency_pkey PRIMARY KEY (idempotency_key)
      )`,
      `CREATE TABLE IF NOT EXISTS ${p}submissions (
        stream_id text NOT NULL,
        version integer NOT NULL,
        status text NOT NULL,
        workflow_id text NOT NULL,
        updated_at text NOT NULL,
        pending_reviewers text[] NOT NULL,
        summary text NOT NULL,
        CONSTRAINT ${p}submissions_pkey PRIMARY KEY (stream_id)
      )`,
      `CREATE INDEX IF NOT EXISTS ${p}submissions_status_idx ON ${p}submissions (status, updated_at)`,
      `CREATE TABLE IF NOT EXISTS ${p}snapshots (
        stream_id text NOT NULL,
        seq integer NOT NULL,
        format integer NOT NULL,
        state text NOT NULL,
        CONSTRAINT ${p}snapshots_pkey PRIMARY KEY (stream_id)
      )`,
    ],
  },
];
