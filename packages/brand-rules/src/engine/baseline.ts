import { HubspokeError, formatIssues, type Diagnostic } from '@hubspoke/core';
import { z } from 'zod';

/**
 * Known violations: counts per location, then per rule. Adopt the linter on existing content
 * and fail only on new violations (like ESLint's bulk suppressions).
 */
export interface Baseline {
  readonly version: 1;
  /** `baselineKey(diagnostic)` → rule id → count. */
  readonly entries: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export const BaselineSchema = z
  .object({
    version: z.literal(1),
    entries: z.record(
      z.string().max(2000),
      z.record(
        z
          .string()
          .regex(/^[a-z][a-z0-9-]*\/[a-z0-9][a-z0-9/-]*$/, { error: 'expected a rule id like "brand/banned-term"' }),
        z.number().int().min(1),
      ),
    ),
  })
  .strict();

/**
 * Where a diagnostic is, without line numbers (which move with every edit): file, locale,
 * field, instance, slot, property. E.g. `berlin-spring › de-DE › hero-1 › headline`.
 */
export function baselineKey(d: Diagnostic): string {
  const l = d.location;
  return (
    [l.file ?? '', l.locale ?? '', l.source ?? '', l.field ?? '', l.instanceId ?? '', l.slotId ?? '', l.property ?? '']
      .filter((p) => p !== '')
      .join(' › ') || '(document)'
  );
}

/** A baseline holding every given diagnostic. Write it with `JSON.stringify(baseline, null, 2)`. */
export function createBaseline(diagnostics: readonly Diagnostic[]): Baseline {
  const entries: Record<string, Record<string, number>> = {};
  for (const d of diagnostics) {
    const key = baselineKey(d);
    const perRule = (entries[key] ??= {});
    perRule[d.ruleId] = (perRule[d.ruleId] ?? 0) + 1;
  }
  const sorted: Record<string, Record<string, number>> = {};
  for (const key of Object.keys(entries).sort()) {
    const perRule = entries[key] ?? {};
    sorted[key] = Object.fromEntries(Object.entries(perRule).sort(([a], [b]) => a.localeCompare(b)));
  }
  return { version: 1, entries: sorted };
}

/** Validates a baseline read from a file; throws `E_VALIDATION` naming the bad path. */
export function parseBaseline(input: unknown): Baseline {
  const result = BaselineSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issues = formatIssues('baseline', result.error.issues, BaselineSchema);
  throw new HubspokeError('E_VALIDATION', `Invalid baseline: ${issues.map((i) => i.message).join('; ')}`, {
    path: issues[0]?.path ?? 'baseline',
    details: { issues },
  });
}

export interface BaselineResult {
  /** Diagnostics the baseline does not cover. */
  readonly diagnostics: Diagnostic[];
  /** Diagnostics the baseline covers. */
  readonly baselined: Diagnostic[];
  /** Entries with fewer violations now than recorded: prune them with `createBaseline`. */
  readonly stale: {
    readonly key: string;
    readonly ruleId: string;
    readonly recorded: number;
    readonly found: number;
  }[];
}

/**
 * Leaves out baselined violations. When a location has more violations of a rule than
 * recorded, all of them are reported (which one is new cannot be known), each with
 * `data.baseline = { recorded, found }`.
 */
export function applyBaseline(diagnostics: readonly Diagnostic[], baseline: Baseline): BaselineResult {
  const checked = parseBaseline(baseline);
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const key = `${baselineKey(d)}\u0000${d.ruleId}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const kept: Diagnostic[] = [];
  const baselined: Diagnostic[] = [];
  for (const d of diagnostics) {
    const recorded = checked.entries[baselineKey(d)]?.[d.ruleId] ?? 0;
    const found = groups.get(`${baselineKey(d)}\u0000${d.ruleId}`)?.length ?? 0;
    if (recorded === 0) kept.push(d);
    else if (found <= recorded) baselined.push(d);
    else kept.push({ ...d, data: { ...d.data, baseline: { recorded, found } } });
  }
  const stale: BaselineResult['stale'][number][] = [];
  for (const [key, perRule] of Object.entries(checked.entries)) {
    for (const [ruleId, recorded] of Object.entries(perRule)) {
      const found = groups.get(`${key}\u0000${ruleId}`)?.length ?? 0;
      if (found < recorded) stale.push({ key, ruleId, recorded, found });
    }
  }
  return { diagnostics: kept, baselined, stale };
}
