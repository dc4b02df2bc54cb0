import type { SqlMigration } from '@hubspoke/core';

/**
 * The HubStore's tables. Plain tables, text JSON bodies and unique keys only, so the same
 * statements run on PGlite, PostgreSQL and Postgres-compatible engines. Append new migrations;
 * never edit a released one.
 */
export const HUB_MIGRATIONS: readonly SqlMigration[] = [
  {
    version: 1,
    name: 'drafts, definition, metrics and the change feed',
    statements: (p) => [
      `CREATE TABLE IF NOT EXISTS ${p}drafts (
        id text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        template_id text NOT NULL,
        template_version integer NOT NULL,
        author text NOT NULL,
        region text,
        team text,
        status text NOT NULL,
        submission_id text,
        body text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL,
        CONSTRAINT ${p}drafts_pkey PRIMARY KEY (id))`,
      `CREATE INDEX IF NOT EXISTS ${p}drafts_updated ON ${p}drafts (updated_at, id)`,
      `CREATE TABLE IF NOT EXISTS ${p}draft_versions (
        id text NOT NULL,
        version integer NOT NULL,
        body text NOT NULL,
        saved_at timestamptz NOT NULL,
        saved_by text NOT NULL,
        CONSTRAINT ${p}draft_versions_pkey PRIMARY KEY (id, version))`,
      `CREATE TABLE IF NOT EXISTS ${p}templates (
        id text NOT NULL,
        version integer NOT NULL,
        body text NOT NULL,
        source text,
        saved_at timestamptz NOT NULL,
        saved_by text NOT NULL,
        CONSTRAINT ${p}templates_pkey PRIMARY KEY (id, version))`,
      `CREATE TABLE IF NOT EXISTS ${p}brand_kits (
        version integer NOT NULL,
        body text NOT NULL,
        saved_at timestamptz NOT NULL,
        saved_by text NOT NULL,
        CONSTRAINT ${p}brand_kits_pkey PRIMARY KEY (version))`,
      `CREATE TABLE IF NOT EXISTS ${p}documents (
        kind text NOT NULL,
        key text NOT NULL,
        version integer NOT NULL,
        body text NOT NULL,
        saved_at timestamptz NOT NULL,
        saved_by text NOT NULL,
        CONSTRAINT ${p}documents_pkey PRIMARY KEY (kind, key))`,
      `CREATE TABLE IF NOT EXISTS ${p}metric_batches (
        id text NOT NULL,
        key text NOT NULL,
        kind text NOT NULL,
        scope text,
        since_ms bigint,
        until_ms bigint,
        source text NOT NULL,
        row_count integer NOT NULL,
        committed boolean NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT ${p}metric_batches_pkey PRIMARY KEY (id))`,
      `CREATE INDEX IF NOT EXISTS ${p}metric_batches_key ON ${p}metric_batches (key)`,
      `CREATE TABLE IF NOT EXISTS ${p}metric_rows (
        batch_id text NOT NULL,
        n integer NOT NULL,
        body text NOT NULL,
        CONSTRAINT ${p}metric_rows_pkey PRIMARY KEY (batch_id, n))`,
      `CREATE TABLE IF NOT EXISTS ${p}changes (
        id bigserial NOT NULL,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        key text NOT NULL,
        version integer,
        actor text NOT NULL,
        data text,
        CONSTRAINT ${p}changes_pkey PRIMARY KEY (id))`,
    ],
  },
];
