import type { SqlMigration } from '@hubspoke/core';

/** One schema change (core's `SqlMigration`): idempotent statements, so processes migrating at once all end up right. */
export type Migration = SqlMigration;

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
  {
    version: 2,
    name: 'effect outbox',
    // Starts empty: effects of events stored before this migration were already handed to the caller.
    statements: (p) => [
      `CREATE TABLE IF NOT EXISTS ${p}outbox (
        position bigint GENERATED ALWAYS AS IDENTITY,
        id text NOT NULL,
        stream_id text NOT NULL,
        seq integer NOT NULL,
        event_id text NOT NULL,
        effect_index integer NOT NULL,
        effect text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        created_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz,
        leased_until timestamptz,
        lease_token text,
        dispatched_at timestamptz,
        dead_at timestamptz,
        CONSTRAINT ${p}outbox_pkey PRIMARY KEY (id),
        CONSTRAINT ${p}outbox_status_check CHECK (status IN ('pending', 'dispatched', 'dead'))
      )`,
      `CREATE INDEX IF NOT EXISTS ${p}outbox_status_idx ON ${p}outbox (status, position)`,
      `CREATE INDEX IF NOT EXISTS ${p}outbox_stream_idx ON ${p}outbox (stream_id, position)`,
      // Finds entries that used up their attempts without walking the whole queue on every claim.
      `CREATE INDEX IF NOT EXISTS ${p}outbox_spent_idx ON ${p}outbox (attempts) WHERE status = 'pending'`,
    ],
  },
  {
    version: 3,
    name: 'audit MACs on events and snapshots',
    // Events stored before keep no MAC: with audit keys they verify as 'unsealed' (see the README).
    statements: (p) => [
      `ALTER TABLE ${p}events ADD COLUMN IF NOT EXISTS mac text`,
      `ALTER TABLE ${p}snapshots ADD COLUMN IF NOT EXISTS mac text`,
    ],
  },
];
