import { z } from 'zod';
import { IdSchema, LocaleSchema, NonNegativeIntSchema, PositiveIntSchema, RefSchema } from './common.js';

export const SeveritySchema = z.enum(['error', 'warning', 'suggestion']);
export type Severity = z.infer<typeof SeveritySchema>;

/** Where a finding is: in draft content (instance, slot, locale), and/or in a source text (line, column). */
export const LocationSchema = z
  .object({
    /** Which text the line/column and offsets refer to. */
    source: z.enum(['draft', 'template', 'html', 'text', 'config', 'workflow']).optional(),
    /** A file name or other reference to the source text. */
    file: z.string().max(1000).optional(),
    moduleId: IdSchema.optional(),
    instanceId: IdSchema.optional(),
    slotId: IdSchema.optional(),
    /** A property of a structured slot value: `href`, `text`, `src`, `alt`. */
    property: z.string().max(64).optional(),
    /** `subject` or `preheader` when the finding is in one of them. */
    field: z.enum(['subject', 'preheader', 'body']).optional(),
    locale: LocaleSchema.optional(),
    /** 1-based. */
    line: PositiveIntSchema.optional(),
    column: PositiveIntSchema.optional(),
    endLine: PositiveIntSchema.optional(),
    endColumn: PositiveIntSchema.optional(),
    /** 0-based offsets into the located text (a slot value, subject, or the source). */
    start: NonNegativeIntSchema.optional(),
    end: NonNegativeIntSchema.optional(),
    /** A JSON path into a config-like document, e.g. `brandKit.palette[2].hex`. */
    path: z.string().max(1000).optional(),
  })
  .strict();
export type Location = z.infer<typeof LocationSchema>;

/** Replace `[start, end)` of the located text with `text`. */
export const TextEditSchema = z
  .object({
    start: NonNegativeIntSchema,
    end: NonNegativeIntSchema,
    text: z.string(),
  })
  .strict()
  .refine((e) => e.end >= e.start, { error: 'expected end ≥ start', path: ['end'] });
export type TextEdit = z.infer<typeof TextEditSchema>;

/** A change that resolves a finding: edits to one located text. */
export const FixSchema = z
  .object({
    description: z.string().max(500),
    /** The text the edits apply to; defaults to the diagnostic's location. */
    location: LocationSchema.optional(),
    edits: z.array(TextEditSchema).min(1),
  })
  .strict();
export type Fix = z.infer<typeof FixSchema>;

/** One finding from validation, linting or rendering. */
export const DiagnosticSchema = z
  .object({
    /** Stable rule id, namespaced: `template/locked-slot`, `brand/banned-term`, `a11y/alt-text`. */
    ruleId: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\/[a-z0-9][a-z0-9/-]*$/, { error: 'expected a rule id like "brand/banned-term"' }),
    severity: SeveritySchema,
    message: z.string().min(1).max(2000),
    location: LocationSchema.default({}),
    /** A safe fix, applied by `--fix`. */
    fix: FixSchema.optional(),
    /** Changes a person should choose between; never applied automatically. */
    suggestions: z.array(FixSchema).optional(),
    /** Set by permission-aware tools: whether the current principal may override this finding. */
    overridable: z.boolean().optional(),
    /** Machine-readable facts about the finding. */
    data: z.record(z.string(), z.unknown()).optional(),
    docsUrl: z.string().max(1000).optional(),
    /** Which tool produced it, e.g. `@hubspoke/brand-rules`. */
    origin: RefSchema.optional(),
  })
  .strict();
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

export const DiagnosticCountsSchema = z
  .object({ error: NonNegativeIntSchema, warning: NonNegativeIntSchema, suggestion: NonNegativeIntSchema })
  .strict();
export type DiagnosticCounts = z.infer<typeof DiagnosticCountsSchema>;

/** Counts diagnostics per severity. */
export function countDiagnostics(diagnostics: readonly Pick<Diagnostic, 'severity'>[]): DiagnosticCounts {
  const counts: DiagnosticCounts = { error: 0, warning: 0, suggestion: 0 };
  for (const d of diagnostics) counts[d.severity] += 1;
  return counts;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, suggestion: 2 };

/** Orders by location (locale, instance, slot, line, column), then severity, then rule: stable output for formatters and tests. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const la = a.location;
  const lb = b.location;
  return (
    (la.locale ?? '').localeCompare(lb.locale ?? '') ||
    (la.instanceId ?? '').localeCompare(lb.instanceId ?? '') ||
    (la.slotId ?? '').localeCompare(lb.slotId ?? '') ||
    (la.line ?? 0) - (lb.line ?? 0) ||
    (la.column ?? 0) - (lb.column ?? 0) ||
    (la.start ?? 0) - (lb.start ?? 0) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.ruleId.localeCompare(b.ruleId)
  );
}
