import { HubspokeError } from '@hubspoke/core';

export const DAY_MS = 86_400_000;

/** Milliseconds since the epoch of a `YYYY-MM-DD` date at 00:00 UTC. */
export function dateMs(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Full ISO timestamp of an instant, in UTC. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** A period's bounds as instants: its start date at 00:00 UTC to the day after its end date (end dates are inclusive). */
export function periodBounds(period: { start: string; end: string }): { start: number; end: number } {
  return { start: dateMs(period.start), end: dateMs(period.end) + DAY_MS };
}

/** A date or a timestamp without an offset is read as UTC, whatever the machine's time zone. */
function asUtc(text: string): string {
  if (text.length === 10) return `${text}T00:00:00Z`;
  return /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
}

/**
 * Reads an `asOf`-style option (a `Date` or an ISO date/timestamp) as milliseconds, with a
 * clear error rather than an Invalid Date that would turn into NaN downstream.
 */
export function instantOption(value: string | Date | undefined, name: string, fallback: () => number): number {
  if (value === undefined) return fallback();
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)
        ? Date.parse(asUtc(value))
        : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new HubspokeError(
      'E_VALIDATION',
      `${name}: expected a Date or an ISO date like 2026-03-31 or 2026-03-31T12:00:00Z`,
      {
        path: name,
        details: { received: typeof value === 'string' ? value.slice(0, 60) : typeof value },
      },
    );
  }
  return ms;
}

/** ISO 8601 week of a `YYYY-MM-DD` date, e.g. `2026-W09` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(date: string): string {
  const day = new Date(dateMs(date));
  const weekday = day.getUTCDay() || 7;
  // The Thursday of this week decides the week-numbering year.
  const thursday = dateMs(date) + (4 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** `P7D` → 7 days, `P2W` → 14 days, in milliseconds (the cadence shapes core accepts). */
export function cadenceMs(cadence: string): number {
  const match = /^P(\d+)([DW])$/.exec(cadence);
  const count = Number(match?.[1] ?? 7);
  return (match?.[2] === 'W' ? 7 : 1) * count * DAY_MS;
}
