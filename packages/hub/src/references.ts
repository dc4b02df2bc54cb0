import { HubspokeError, closest, type Condition, type Diagnostic } from '@hubspoke/core';
import type { Hub } from './hub.js';

/** The regions and teams a hub defines: every one its directory, brand kit, workflows, seed lists and OKRs name. */
export interface KnownReferences {
  regions: ReadonlySet<string>;
  teams: ReadonlySet<string>;
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
  const [directory, brandKit, workflows, settings, okrs] = await Promise.all([
    hub.directory(),
    hub.brandKit(),
    hub.workflows(),
    hub.settings(),
    hub.okrs().catch(() => undefined),
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
  return { regions, teams };
}

function suggestion(value: string, known: ReadonlySet<string>): string {
  const near = closest(value, known);
  const list = [...known].sort();
  return `${near === undefined ? '' : `did you mean "${near}"? `}the hub defines: ${list.length === 0 ? 'none' : list.join(', ')}`;
}

/**
 * `E_NOT_FOUND` for a region or team the hub does not define, with did-you-mean in the hint. A
 * hub that defines no region (or team) at all has no rule set an unknown one could weaken, so it
 * accepts any.
 */
export function assertKnown(
  kind: 'region' | 'team',
  value: string | undefined,
  known: KnownReferences,
  path: string,
): void {
  if (value === undefined) return;
  const set = kind === 'region' ? known.regions : known.teams;
  if (set.size === 0 || set.has(value)) return;
  const near = closest(value, set);
  throw new HubspokeError('E_NOT_FOUND', `${path}: the hub defines no ${kind} "${value}"`, {
    path,
    hint: suggestion(value, set),
    details: { [kind]: value, known: [...set].sort(), ...(near === undefined ? {} : { didYouMean: near }) },
  });
}

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
