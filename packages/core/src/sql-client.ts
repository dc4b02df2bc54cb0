/**
 * The minimal SQL surface durable stores need. Satisfied as-is by PGlite
 * (`new PGlite()`), by `pg`'s `Pool` and `Client`, and by Postgres-compatible engines.
 * Stores keep their SQL portable: plain tables, unique constraints, `$1` parameters.
 */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}
