import { HubspokeError } from '@hubspoke/core';

const DURATION = /^(-)?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const UNIT_MS = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000] as const;

/**
 * Milliseconds in an ISO 8601 duration (`P2D`, `PT4H`, `-PT30M`). Days are 24 hours: due
 * dates are reckoned in UTC, not in a calendar with daylight-saving shifts.
 */
export function durationMs(duration: string): number {
  const match = DURATION.exec(duration);
  if (match === null || duration === 'P' || duration.endsWith('T')) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid duration: expected an ISO 8601 duration like "P2D", "PT4H" or "-PT30M", got ${JSON.stringify(duration)}`,
      { path: 'duration' },
    );
  }
  let ms = 0;
  UNIT_MS.forEach((unit, i) => {
    const part = match[i + 2];
    if (part !== undefined) ms += Number(part) * unit;
  });
  return match[1] === '-' ? -ms : ms;
}

/** `at` shifted by an ISO 8601 duration, as an ISO timestamp in UTC. */
export function addDuration(at: string, duration: string): string {
  return new Date(Date.parse(at) + durationMs(duration)).toISOString();
}
