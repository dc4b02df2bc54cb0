import { HubspokeError, type Diagnostic, type Draft, type Principal } from '@hubspoke/core';
import { upgradeDraft as upgrade } from '@hubspoke/template-engine';
import type { SourcedDraft } from './definition/source.js';
import type { Hub } from './hub.js';
import { DRAFT_TEMPLATE_PATHS } from './references.js';

export interface UpgradeOptions {
  /** The template version to move to (default: the newest). */
  to?: number;
  /** Report what would change, save nothing. */
  dryRun?: boolean;
  /** The version the caller saw (default: the current one). */
  expectedVersion?: number;
}

export interface UpgradeOutcome {
  /** The draft DRAFT_TEMPLATE_PATHS to the new version (unchanged when it already was). */
  draft: Draft;
  from: number;
  to: number;
  /** Whether the draft changed at all. */
  changed: boolean;
  /** What moved, was dropped (with its old value) or now needs an edit; see `upgradeDraft` of template-engine. */
  diagnostics: Diagnostic[];
  /** The saved draft (not with `dryRun`). */
  saved?: SourcedDraft;
}

/**
 * Moves a draft to another version of its template (`draft.edit`), keeping every compatible
 * value and reporting the rest, and saves it as a new version of the draft.
 */
export async function upgradeDraft(
  hub: Hub,
  principal: Principal,
  ref: string,
  options: UpgradeOptions = {},
): Promise<UpgradeOutcome> {
  const current = await hub.draft(ref);
  const { draft } = current;
  await hub.authorize(principal, 'draft.edit', { region: draft.region, team: draft.team, ownerId: draft.author });
  const from = await hub.template(draft.template.id, draft.template.version, DRAFT_TEMPLATE_PATHS);
  const to =
    options.to === undefined
      ? await hub.latestTemplate(draft.template.id, DRAFT_TEMPLATE_PATHS.id)
      : await hub.template(draft.template.id, options.to, { ...DRAFT_TEMPLATE_PATHS, version: 'to' });
  if (to.version === from.version)
    return { draft, from: from.version, to: to.version, changed: false, diagnostics: [] };
  if (options.expectedVersion !== undefined && options.expectedVersion !== current.version)
    throw new HubspokeError(
      'E_CONFLICT',
      `draft ${draft.id}: it is at version ${current.version}, not ${options.expectedVersion}`,
      {
        details: { reason: 'stale', expectedVersion: options.expectedVersion, currentVersion: current.version },
      },
    );
  const result = upgrade(draft, from, to);
  // A folder draft's version is its author's to bump; an upgrade is a new revision.
  const next = { ...result.draft, version: current.version + 1 };
  const outcome: UpgradeOutcome = {
    draft: next,
    from: from.version,
    to: to.version,
    changed: true,
    diagnostics: result.diagnostics,
  };
  if (options.dryRun === true) return outcome;
  const saved = await hub.source.drafts.update(next, current.version, principal.id);
  return { ...outcome, draft: saved.draft, saved };
}
