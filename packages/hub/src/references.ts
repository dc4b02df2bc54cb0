import { HubspokeError, closest, type Condition, type Diagnostic } from '@hubspoke/core';
import type { Hub } from './hub.js';

/**
 * The regions, teams and locales a hub defines: every region and team its directory, brand kit,
 * workflows, seed lists and OKRs name; every locale its templates (default locales and fallback
 * chains) and brand kit (banned and preferred terms, legal texts) name.
 */
export interface KnownReferences {
  regions: ReadonlySet<string>;
  teams: ReadonlySet<string>;
  locales: ReadonlySet<string>;
}

function regionsOfCondition(c: Condition, into: Set<string>): void {
  if ('all' in c) for (const t of c.all) regionsOfCondition(t, into);
  else if ('any' in c) for (const t of c.any) regionsOfCondition(t, into);
  else if ('not' in c) regionsOfCondition(c.not, into);
  else if (c.fact === 'region')
    for (const v of Array.isArray(c.value) ? c.value : [c.value]) if (typeof v === 'string') into.add(v);
}

/**
 * What the hub defines, read from its definition: the directory's principals, the brand kit's
 * legal texts and asset licences, the workflows' reviewers and routing, the test-send seed lists
 * and the OKR owners. A region or team named nowhere is unknown.
 */
export async function knownReferences(hub: Hub): Promise<KnownReferences> {
  const [directory, brandKit, workflows, settings, okrs, templates] = await Promise.all([
    hub.directory(),
    hub.brandKit(),
    hub.workflows(),
    hub.settings(),
    hub.okrs().catch(() => undefined),
    hub.templates(),
  ]);
  const regions = new Set<string>();
  const teams = new Set<string>();
  for (const p of directory) {
    for (const r of p.regions) regions.add(r);
    for (const t of p.teams) teams.add(t);
  }
  for (const legal of brandKit.legal) for (const r of legal.regions ?? []) regions.add(r);
  for (const asset of brandKit.assets) for (const r of asset.licensedRegions) if (r !== '*') regions.add(r);
  for (const workflow of workflows)
    for (const stage of workflow.stages) {
      for (const reviewer of stage.reviewers)
        if ('region' in reviewer && reviewer.region !== undefined && reviewer.region !== 'submission')
          regions.add(reviewer.region);
      if (stage.when) regionsOfCondition(stage.when, regions);
    }
  for (const list of Object.values(settings.testSends?.seedLists ?? {}))
    if (list.region !== undefined) regions.add(list.region);
  for (const objective of okrs?.objectives ?? [])
    for (const owner of objective.owners) {
      if (owner.region !== undefined) regions.add(owner.region);
      if (owner.team !== undefined) teams.add(owner.team);
    }
  const locales = new Set<string>();
  for (const { template } of templates) {
    locales.add(template.defaultLocale);
    for (const [from, chain] of Object.entries(template.fallbacks)) for (const l of [from, ...chain]) locales.add(l);
  }
  const { bannedTerms, preferredTerms } = brandKit.voice;
  for (const term of [...bannedTerms, ...preferredTerms, ...brandKit.legal])
    for (const l of term.locales ?? []) locales.add(l);
  return { regions, teams, locales };
}

function suggestion(value: string, known: ReadonlySet<string>): string {
  const near = closest(value, known);
  const list = [...known].sort();
  return `${near === undefined ? '' : `did you mean "${near}"? `}the hub defines: ${list.length === 0 ? 'none' : list.join(', ')}`;
}

/**
 * `E_NOT_FOUND` for a region, team or locale the hub does not define, at `path`, with did-you-mean
 * in the hint and `details.didYouMean`. A hub that defines no region (or team) at all has no rule
 * set an unknown one could weaken, so it accepts any.
 */
export function assertKnown(
  kind: 'region' | 'team' | 'locale',
  value: string | undefined,
  known: KnownReferences,
  path: string,
): void {
  if (value === undefined) return;
  const set = kind === 'region' ? known.regions : kind === 'team' ? known.teams : known.locales;
  if (set.size === 0 || set.has(value)) return;
  throw unknownReference(kind, value, set, path, `the hub defines no ${kind} "${value}"`);
}

/** `E_NOT_FOUND` at `path` for `value`, not one of `known`, suggesting the closest. */
export function unknownReference(
  kind: string,
  value: string,
  known: ReadonlySet<string>,
  path: string,
  what: string,
): HubspokeError {
  const near = closest(value, known);
  return new HubspokeError('E_NOT_FOUND', `${path}: ${what}${near === undefined ? '' : `; did you mean "${near}"?`}`, {
    path,
    hint: suggestion(value, known),
    details: { [kind]: value, known: [...known].sort(), ...(near === undefined ? {} : { didYouMean: near }) },
  });
}

/** The paths of a draft's template pin, for errors about a template it names that the hub does not have. */
export const DRAFT_TEMPLATE_PATHS = { id: 'draft.template.id', version: 'draft.template.version' } as const;

/** The same finding as a draft diagnostic (an error: the region's own rules would silently stop applying). */
export function unknownRegionDiagnostic(region: string, known: KnownReferences, file: string): Diagnostic | undefined {
  if (known.regions.size === 0 || known.regions.has(region)) return undefined;
  const near = closest(region, known.regions);
  return {
    ruleId: 'hub/unknown-region',
    severity: 'error',
    message: `The draft's region "${region}" is not one the hub defines, so no rule of that region would apply: ${suggestion(region, known.regions)}`,
    location: { file },
    data: { region, known: [...known.regions].sort(), ...(near === undefined ? {} : { didYouMean: near }) },
  };
}
