import {
  compareDiagnostics,
  countDiagnostics,
  DraftSchema,
  HubspokeError,
  parse,
  type Diagnostic,
  type DiagnosticCounts,
  type Draft,
  type Principal,
  type RenderedEmail,
  type Severity,
  type Template,
} from '@hubspoke/core';
import { darkModeOption } from './dark-mode.js';
import { parseBaseline, type Baseline, type LintResult } from '@hubspoke/brand-rules';
import { render, validateDraft } from '@hubspoke/template-engine';
import { FolderSource, inFile } from './definition/folder-source.js';
import type { Hub } from './hub.js';
import { readJson } from './io/files.js';
import { stopIfAborted } from './abort.js';
import { DRAFT_TEMPLATE_PATHS, knownReferences, unknownRegionDiagnostic } from './references.js';

/** The locales a draft has content for, default first. */
export function localesOf(draft: Draft): string[] {
  const rest = Object.keys(draft.content)
    .filter((l) => l !== draft.defaultLocale)
    .sort();
  return [draft.defaultLocale, ...rest];
}

export interface CheckOptions {
  /** Apply the linter's safe fixes; the result's `draft` is the fixed draft. */
  fix?: boolean;
  /** Known violations to leave out. */
  baseline?: Baseline;
  /** Mark which findings this principal may override. */
  principal?: Principal;
  /** Today, for asset expiry. */
  now?: Date;
  /** A name for the draft in locations and baselines (default: its id). */
  file?: string;
}

/** A checked draft: template validation and brand rules together, and the renders they used. */
export interface DraftCheck {
  /** The draft as checked, or as fixed when `fix` applied edits. */
  draft: Draft;
  template: Template;
  /** Template validation and brand rules together, sorted by location. */
  diagnostics: Diagnostic[];
  counts: DiagnosticCounts;
  /** Whether a diagnostic is at the lint config's failing level or above. */
  failed: boolean;
  minLevel: Severity;
  lint: LintResult;
  /** One `preview` render per locale, default first. */
  rendered: RenderedEmail[];
  /** How many safe fixes were applied (with `fix`). */
  fixes: number;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, suggestion: 2 };

function slotKey({ location: l }: Diagnostic): string {
  return `${l.locale ?? ''}|${l.instanceId ?? ''}|${l.slotId ?? ''}`;
}

/**
 * Validates a draft (`E_VALIDATION` when it is not a draft at all) against its template, renders every locale once (`preview`, through the
 * shared skeleton cache: a re-check after a text edit does not run MJML again) and lints the
 * content and the renders against the brand.
 */
export async function checkDraft(hub: Hub, input: unknown, options: CheckOptions = {}): Promise<DraftCheck> {
  const draft = await validDraft(hub, input);
  // The same draft checked again under the same definition (another editor, a reviewer, a reload)
  // is answered from the hub's results; fixes, baselines and a given date are always computed.
  const cacheable = options.fix !== true && options.baseline === undefined && options.now === undefined;
  const key = cacheable
    ? hub.results.key('check', draft, options.principal ?? null, options.file ?? null, expiryBucket())
    : undefined;
  const check = await hub.results.get(key, () => computeCheck(hub, draft, options));
  // A copy of the lists, so a caller that sorts or filters them does not change the kept result.
  return { ...check, diagnostics: [...check.diagnostics], rendered: [...check.rendered] };
}

/**
 * `input` validated as a draft (`E_VALIDATION` when it is not one), remembered by its JSON text:
 * the same content validated again (a save's edit, then its check and its preview, each read back
 * from the store) is not run through the schema again. Each call gets a draft of its own, parsed
 * from the validated draft's JSON, so a caller that changes it changes nothing kept. Only the
 * validated draft is ever returned, never `input` itself.
 */
export async function validDraft(hub: Hub, input: unknown): Promise<Draft> {
  const key = hub.results.key('valid-draft', input);
  const text = await hub.results.get(key, () => Promise.resolve(JSON.stringify(parse(DraftSchema, input, 'draft'))));
  return JSON.parse(text) as Draft;
}

/** The date asset expiry is judged on, as a quarter-hour (every time zone's midnight falls on one). */
const expiryBucket = () => Math.floor(Date.now() / 900_000);

/** One locale's `preview` render of a draft, shared by checks and previews of the same draft. */
export async function previewOf(hub: Hub, template: Template, draft: Draft, locale: string): Promise<RenderedEmail> {
  const key = hub.results.key('render', draft, locale, 'preview');
  return hub.results.get(key, async () => {
    const [brandKit, settings] = await Promise.all([hub.brandKit(), hub.settings()]);
    return render(template, draft, {
      locale,
      dialect: 'preview',
      fieldMap: settings.fieldMap,
      ...darkModeOption(brandKit),
    });
  });
}

/**
 * A draft's template validation, shared by the save's lock check (which validates the stored
 * version and the edit) and the check of the saved version: each content is validated once. The
 * draft's `version` number is left out of the key: validation reads the content, not the number
 * (the edit a save checks is the content the store then keeps under the next number).
 */
export function validationOf(hub: Hub, template: Template, draft: Draft): Promise<Diagnostic[]> {
  const key = hub.results.key('validate', template.id, template.version, { ...draft, version: undefined });
  return hub.results.get(key, async () => validateDraft(template, draft, { brandKit: await hub.brandKit() }));
}

async function computeCheck(hub: Hub, draft: Draft, options: CheckOptions): Promise<DraftCheck> {
  const template = await hub.template(draft.template.id, draft.template.version, DRAFT_TEMPLATE_PATHS);
  const linter = await hub.linter();
  const validation = await validationOf(hub, template, draft);
  const rendered: RenderedEmail[] = [];
  for (const locale of localesOf(draft)) rendered.push(await previewOf(hub, template, draft, locale));
  const file = options.file ?? draft.id;
  // The draft was validated by validDraft and the emails are the renderer's: not validated again.
  const lint = linter.lintValidated({
    draft,
    rendered,
    template,
    file,
    fix: options.fix === true,
    ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
    ...(options.principal === undefined
      ? {}
      : { principal: options.principal, operatingModel: await hub.operatingModel() }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  // Every finding names the draft, those in the rendered output too.
  const named = (d: Diagnostic): Diagnostic => ({ ...d, location: { file, ...d.location } });
  const located: Diagnostic[] = validation.map(named);
  // A region the hub does not define would silently drop that region's rules: an error, never clean.
  const unknownRegion =
    draft.region === undefined ? undefined : unknownRegionDiagnostic(draft.region, await knownReferences(hub), file);
  if (unknownRegion) located.push(unknownRegion);
  // One mistake, one finding: a colour slot off the palette is the template's error, not also a brand warning.
  const offPalette = new Set(located.filter((d) => d.ruleId === 'template/off-palette').map((d) => slotKey(d)));
  const brand = lint.diagnostics
    .filter((d) => !(d.ruleId === 'brand/palette' && offPalette.has(slotKey(d))))
    .map(named);
  // Rendering findings (size, accessibility, compatibility) belong to `renderAll`'s reports.
  const diagnostics = [...located, ...brand].sort(compareDiagnostics);
  return {
    draft: lint.fixed?.draft ?? draft,
    template,
    diagnostics,
    counts: countDiagnostics(diagnostics),
    failed: diagnostics.some((d) => RANK[d.severity] <= RANK[lint.minLevel]),
    minLevel: lint.minLevel,
    lint,
    rendered,
    fixes: lint.fixed?.edits ?? 0,
  };
}

/** A baseline file of known violations (`createBaseline` output), validated. */
export async function readBaseline(file: string): Promise<Baseline> {
  return inFile(file, async () => parseBaseline(await readJson(file, 'baseline')));
}

export interface LintDraftsOptions {
  /** Apply safe fixes and write the fixed drafts back (a store hub needs `principal`, with `draft.edit`). */
  fix?: boolean;
  baseline?: Baseline;
  /** Marks the findings they may override; acts for fixes. */
  principal?: Principal;
  now?: Date;
  signal?: AbortSignal;
}

/** One draft's check; `fixes` edits were written back first (the check is of the fixed draft). */
export interface LintedDraft {
  check: DraftCheck;
  /** How the draft is named in locations: its file relative to the hub, or its id. */
  name: string;
  /** The draft's file (absolute), in a folder hub. */
  file?: string;
  fixes: number;
}

/** Checks the drafts named (default: every draft); with `fix`, writes safe fixes back and checks again. */
export async function lintDrafts(
  hub: Hub,
  refs: readonly string[],
  options: LintDraftsOptions = {},
): Promise<LintedDraft[]> {
  const linted: LintedDraft[] = [];
  const common = {
    ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
    ...(options.principal === undefined ? {} : { principal: options.principal }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
  for (const sourced of await hub.drafts(refs)) {
    stopIfAborted(options.signal);
    const { draft } = sourced;
    const name =
      sourced.file !== undefined && hub.source instanceof FolderSource ? hub.source.show(sourced.file) : draft.id;
    let check = await checkDraft(hub, draft, { ...common, file: name, fix: options.fix === true });
    const fixes = check.fixes;
    if (options.fix === true && fixes > 0) {
      if (options.principal !== undefined)
        await hub.authorize(options.principal, 'draft.edit', {
          region: draft.region,
          team: draft.team,
          ownerId: draft.author,
        });
      else if (hub.source.kind === 'store')
        throw new HubspokeError('E_FORBIDDEN', 'lint --fix: say who is fixing the drafts of a hub store', {
          path: 'principal',
        });
      await hub.source.drafts.update(check.draft, sourced.version, options.principal?.id ?? draft.author);
      // Report what is left in the fixed draft (template validation included).
      check = await checkDraft(hub, check.draft, { ...common, file: name });
    }
    linted.push({ check, name, fixes, ...(sourced.file === undefined ? {} : { file: sourced.file }) });
  }
  return linted;
}
