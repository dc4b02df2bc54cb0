import { HubspokeError, type CampaignMetrics, type Diagnostic, type ValidationIssue } from '@hubspoke/core';
import { diagnostic } from '../../internal/diagnostic.js';
import { findInconsistency } from '../kpis/consistency.js';
import { decodeMetricsRow, decodeRow } from './decode-row.js';
import { deliveredOf, type DeliveredDefinition } from '../kpis/definitions.js';

/**
 * Validates a row handed straight to a sink's `add()`: the same checks as ingest, thrown as
 * `E_VALIDATION`. Returns a copy with `delivered` resolved.
 */
export function validateRow(row: unknown, definition: DeliveredDefinition): CampaignMetrics {
  const decoded = decodeMetricsRow(row);
  if (!decoded.ok) throw decoded.error;
  const delivered = deliveredOf(decoded.value, definition);
  const inconsistent = findInconsistency(decoded.value, delivered);
  if (inconsistent !== undefined) {
    throw new HubspokeError('E_VALIDATION', `row: ${inconsistent.message}`, {
      path: `row.${inconsistent.field}`,
      details: { ruleId: inconsistent.ruleId },
    });
  }
  return { ...decoded.value, delivered };
}

/** Where a row came from, for messages: a line of a text file or an index of a collection. */
export interface RowPlace {
  /** `line 12` or `rows[3]`. */
  where: string;
  line?: number;
  index?: number;
}

/** The place of a line of a text file. */
export function lineAt(line: number): RowPlace {
  return { where: `line ${line}`, line };
}

export interface RowPolicy {
  delivered: DeliveredDefinition;
  onInvalidRow: 'throw' | 'skip';
  maxDiagnostics: number;
  sourceName?: string | undefined;
}

/**
 * Validates rows (shape, then consistency), resolves `delivered`, and either throws or keeps a
 * diagnostic per rejected row, so a skipped row is always accounted for.
 */
export class RowValidator {
  accepted = 0;
  rejected = 0;
  omittedDiagnostics = 0;
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly policy: RowPolicy) {}

  /**
   * The validated row with `delivered` resolved, or `undefined` when rejected (policy `skip`).
   * `ownsValue`: the value was parsed by this package, so it may be completed in place.
   */
  validate(value: unknown, place: RowPlace, ownsValue = false): CampaignMetrics | undefined {
    const decoded = decodeRow(value, place.index === undefined ? 'row' : place.where, ownsValue);
    if (!decoded.ok) {
      const issues = (decoded.error.details.issues ?? []) as ValidationIssue[];
      const first = issues[0];
      this.reject(place, 'metrics/invalid-row', issues.map((i) => i.message).join('; '), first?.path, { issues });
      return undefined;
    }
    return this.complete(decoded.value, place);
  }

  /**
   * A row that already holds to core's schema (decoded by this package, so ours to complete
   * in place): the consistency rules and `delivered`. `place` may be just a line number, so
   * that the text of a message is only made for rows that need one.
   */
  complete(row: CampaignMetrics, place: RowPlace | number): CampaignMetrics | undefined {
    const delivered = deliveredOf(row, this.policy.delivered);
    const inconsistent = findInconsistency(row, delivered);
    if (inconsistent !== undefined) {
      const at = typeof place === 'number' ? lineAt(place) : place;
      this.reject(
        at,
        inconsistent.ruleId,
        inconsistent.message,
        `${at.index === undefined ? 'row' : at.where}.${inconsistent.field}`,
        { field: inconsistent.field },
      );
      return undefined;
    }
    (row as { delivered?: number }).delivered = delivered;
    this.accepted++;
    return row;
  }

  /** Records (or throws, per policy) a row that cannot be used. */
  reject(place: RowPlace, ruleId: string, message: string, path?: string, data: Record<string, unknown> = {}): void {
    this.rejected++;
    const source = this.policy.sourceName === undefined ? '' : `${this.policy.sourceName} `;
    const text = `${source}${place.where}: ${message}`;
    const facts = {
      ...data,
      ...(place.line === undefined ? {} : { line: place.line }),
      ...(place.index === undefined ? {} : { index: place.index }),
    };
    if (this.policy.onInvalidRow === 'throw') {
      throw new HubspokeError('E_VALIDATION', text, { path: path ?? place.where, details: { ruleId, ...facts } });
    }
    if (this.diagnostics.length >= this.policy.maxDiagnostics) {
      this.omittedDiagnostics++;
      return;
    }
    const d = diagnostic(ruleId, 'error', text, path, facts);
    if (place.line !== undefined) d.location.line = place.line;
    if (this.policy.sourceName !== undefined) d.location.file = this.policy.sourceName;
    this.diagnostics.push(d);
  }
}
