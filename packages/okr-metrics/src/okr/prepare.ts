import {
  HubspokeError,
  parseOkrSet,
  type Diagnostic,
  type KeyResult,
  type Objective,
  type OkrSet,
} from '@hubspoke/core';
import { diagnostic } from '../internal/diagnostic.js';

/** Where a key result lives. */
export interface KeyResultPlace {
  objective: number;
  keyResult: number;
}

/** Whether an objective's score also counts the objectives aligned to it (Perdoo's options; OpenOKR keeps it off to avoid double counting). */
export type ObjectiveScoreFrom = 'keyResults' | 'alignedObjectives' | 'both';

/** A validated set with its references resolved and an evaluation order (dependencies first). */
export interface PreparedOkrSet {
  set: OkrSet;
  /** Objective id → index. */
  objectiveIndex: ReadonlyMap<string, number>;
  /** Key result id → every place it occurs (ids may repeat across objectives unless referenced). */
  keyResultPlaces: ReadonlyMap<string, readonly KeyResultPlace[]>;
  /** Objective index → indexes of the objectives aligned to it. */
  alignedChildren: readonly (readonly number[])[];
  /** Nodes in dependency order: a rollup after its children, an objective after its key results. */
  order: readonly Node[];
  diagnostics: Diagnostic[];
}

export type Node =
  { type: 'objective'; objective: number } | { type: 'keyResult'; objective: number; keyResult: number };

const objectivePath = (i: number): string => `okrSet.objectives[${i}]`;
const keyResultPath = (p: KeyResultPlace): string => `${objectivePath(p.objective)}.keyResults[${p.keyResult}]`;

function invalid(message: string, path: string, details: Record<string, unknown> = {}, hint?: string): HubspokeError {
  return new HubspokeError(
    'E_VALIDATION',
    `${path}: ${message}`,
    hint === undefined ? { path, details } : { path, details, hint },
  );
}

/**
 * Finds a cycle in a directed graph given as adjacency lists, iteratively (deep graphs must
 * not overflow the stack). Returns the nodes of the first cycle, closed (`[a, b, a]`), or
 * the post-order of all nodes when there is none.
 */
export function walkGraph(
  count: number,
  edges: (node: number) => readonly number[],
): { cycle: number[] } | { order: number[] } {
  const state = new Uint8Array(count); // 0 new, 1 on the path, 2 done
  const order: number[] = [];
  for (let root = 0; root < count; root++) {
    if (state[root] !== 0) continue;
    const path: number[] = [root];
    const cursor: number[] = [0];
    state[root] = 1;
    while (path.length > 0) {
      const depth = path.length - 1;
      const node = path[depth] ?? 0;
      const next = edges(node);
      const i = cursor[depth] ?? 0;
      if (i < next.length) {
        cursor[depth] = i + 1;
        const child = next[i] ?? 0;
        if (state[child] === 1) return { cycle: [...path.slice(path.indexOf(child)), child] };
        if (state[child] === 0) {
          state[child] = 1;
          path.push(child);
          cursor.push(0);
        }
      } else {
        state[node] = 2;
        order.push(node);
        path.pop();
        cursor.pop();
      }
    }
  }
  return { order };
}

function checkUniqueIds(set: OkrSet): Map<string, number> {
  const objectiveIndex = new Map<string, number>();
  set.objectives.forEach((o, i) => {
    const seen = objectiveIndex.get(o.id);
    if (seen !== undefined)
      throw invalid(
        `objective id ${JSON.stringify(o.id)} is already used by objectives[${seen}]`,
        `${objectivePath(i)}.id`,
      );
    objectiveIndex.set(o.id, i);
    const krIds = new Set<string>();
    o.keyResults.forEach((kr, k) => {
      const path = keyResultPath({ objective: i, keyResult: k });
      if (krIds.has(kr.id))
        throw invalid(`key result id ${JSON.stringify(kr.id)} appears twice in this objective`, `${path}.id`);
      krIds.add(kr.id);
      if (kr.kind === 'maintain' && kr.band.min > kr.band.max)
        throw invalid(`band.min (${kr.band.min}) is above band.max (${kr.band.max})`, `${path}.band.min`);
      if (kr.kind === 'milestone') {
        const ids = new Set<string>();
        kr.milestones.forEach((m, n) => {
          if (ids.has(m.id))
            throw invalid(`milestone id ${JSON.stringify(m.id)} appears twice`, `${path}.milestones[${n}].id`);
          ids.add(m.id);
        });
      }
    });
  });
  return objectiveIndex;
}

function checkAlignment(
  set: OkrSet,
  objectiveIndex: ReadonlyMap<string, number>,
  diagnostics: Diagnostic[],
): number[][] {
  const parents = set.objectives.map((o, i) =>
    o.alignsTo.flatMap((id, j) => {
      const parent = objectiveIndex.get(id);
      if (parent === undefined) {
        diagnostics.push(
          diagnostic(
            'okr/unknown-parent',
            'warning',
            `Objective ${o.id} aligns to ${id}, which is not in this set`,
            `${objectivePath(i)}.alignsTo[${j}]`,
            { parent: id },
          ),
        );
        return [];
      }
      return [parent];
    }),
  );
  const walk = walkGraph(set.objectives.length, (n) => parents[n] ?? []);
  if ('cycle' in walk) {
    const ids = walk.cycle.map((n) => set.objectives[n]?.id ?? '?');
    const from = walk.cycle[walk.cycle.length - 2] ?? 0;
    const to = ids[ids.length - 1] ?? '';
    const j = set.objectives[from]?.alignsTo.indexOf(to) ?? 0;
    throw invalid(
      `alignment cycle: ${ids.join(' → ')}`,
      `${objectivePath(from)}.alignsTo[${j}]`,
      { cycle: ids },
      'An objective cannot align, directly or through others, to itself; remove one of these links.',
    );
  }
  const children: number[][] = set.objectives.map(() => []);
  parents.forEach((ps, child) => {
    for (const p of ps) children[p]?.push(child);
  });
  return children;
}

function indexKeyResults(set: OkrSet): Map<string, KeyResultPlace[]> {
  const places = new Map<string, KeyResultPlace[]>();
  set.objectives.forEach((o, i) => {
    o.keyResults.forEach((kr, k) => {
      const list = places.get(kr.id) ?? [];
      list.push({ objective: i, keyResult: k });
      places.set(kr.id, list);
    });
  });
  return places;
}

/** The one key result an id refers to; a missing or ambiguous reference is an error at `path`. */
function resolveKeyResult(
  set: OkrSet,
  places: ReadonlyMap<string, readonly KeyResultPlace[]>,
  id: string,
  path: string,
): KeyResultPlace {
  const found = places.get(id) ?? [];
  const [only] = found;
  if (only === undefined)
    throw invalid(`refers to key result ${JSON.stringify(id)}, which does not exist`, path, { ref: id });
  if (found.length > 1) {
    const owners = found.map((p) => set.objectives[p.objective]?.id ?? '?');
    throw invalid(
      `refers to key result ${JSON.stringify(id)}, which exists in objectives ${owners.join(' and ')}`,
      path,
      { ref: id, objectives: owners },
      'Give referenced key results ids that are unique across the set.',
    );
  }
  return only;
}

function checkDrives(
  set: OkrSet,
  places: ReadonlyMap<string, readonly KeyResultPlace[]>,
  diagnostics: Diagnostic[],
): void {
  set.objectives.forEach((o, i) => {
    o.keyResults.forEach((kr, k) => {
      const path = keyResultPath({ objective: i, keyResult: k });
      if (kr.drives.length > 0 && kr.indicator !== 'leading') {
        diagnostics.push(
          diagnostic(
            'okr/drives-from-lagging',
            'warning',
            `Key result ${kr.id} lists results it drives but is marked lagging`,
            `${path}.indicator`,
          ),
        );
      }
      kr.drives.forEach((id, d) => {
        const found = places.get(id) ?? [];
        const target =
          found.length === 1 && found[0] !== undefined
            ? set.objectives[found[0].objective]?.keyResults[found[0].keyResult]
            : undefined;
        if (target === undefined) {
          const why = found.length === 0 ? 'does not exist' : 'is ambiguous (the id is used in several objectives)';
          diagnostics.push(
            diagnostic(
              'okr/unknown-driven-result',
              'warning',
              `Key result ${kr.id} drives ${id}, which ${why}`,
              `${path}.drives[${d}]`,
              { ref: id },
            ),
          );
        } else if (target.indicator !== 'lagging') {
          diagnostics.push(
            diagnostic(
              'okr/drives-leading',
              'warning',
              `Key result ${kr.id} drives ${id}, which is marked leading; leading indicators drive lagging results`,
              `${path}.drives[${d}]`,
              { ref: id },
            ),
          );
        }
      });
    });
  });
}

/** Dependency edges: what each node's score is computed from. */
function dependencyOrder(
  set: OkrSet,
  places: ReadonlyMap<string, readonly KeyResultPlace[]>,
  objectiveIndex: ReadonlyMap<string, number>,
  alignedChildren: readonly (readonly number[])[],
  scoreFrom: ObjectiveScoreFrom,
): Node[] {
  const nodes: Node[] = [];
  const objectiveNode = set.objectives.map((_, i) => nodes.push({ type: 'objective', objective: i }) - 1);
  const krNode = set.objectives.map((o, i) =>
    o.keyResults.map((_, k) => nodes.push({ type: 'keyResult', objective: i, keyResult: k }) - 1),
  );
  const edges: number[][] = nodes.map((node) => {
    if (node.type === 'objective') {
      const own = scoreFrom === 'alignedObjectives' ? [] : (krNode[node.objective] ?? []);
      const aligned =
        scoreFrom === 'keyResults' ? [] : (alignedChildren[node.objective] ?? []).map((c) => objectiveNode[c] ?? 0);
      return [...own, ...aligned];
    }
    const kr = set.objectives[node.objective]?.keyResults[node.keyResult];
    if (kr?.kind !== 'rollup') return [];
    return kr.children.map((child, c) => {
      const path = `${keyResultPath(node)}.children[${c}].ref`;
      if (child.type === 'objective') {
        const target = objectiveIndex.get(child.ref);
        if (target === undefined)
          throw invalid(`refers to objective ${JSON.stringify(child.ref)}, which does not exist`, path, {
            ref: child.ref,
          });
        return objectiveNode[target] ?? 0;
      }
      const place = resolveKeyResult(set, places, child.ref, path);
      return krNode[place.objective]?.[place.keyResult] ?? 0;
    });
  });
  const walk = walkGraph(nodes.length, (n) => edges[n] ?? []);
  if ('cycle' in walk) {
    const describe = (n: number): string => {
      const node = nodes[n];
      if (node === undefined) return '?';
      const o = set.objectives[node.objective];
      return node.type === 'objective'
        ? `objective ${o?.id ?? '?'}`
        : `key result ${o?.keyResults[node.keyResult]?.id ?? '?'}`;
    };
    const names = walk.cycle.map(describe);
    const start = nodes[walk.cycle[0] ?? 0];
    const path =
      start === undefined
        ? 'okrSet'
        : start.type === 'objective'
          ? objectivePath(start.objective)
          : keyResultPath(start);
    throw invalid(
      `rollup cycle: ${names.join(' → ')}`,
      path,
      { cycle: names },
      'A score cannot depend on itself; remove one rollup child or alignment.',
    );
  }
  return walk.order.map((n) => nodes[n]).filter((n): n is Node => n !== undefined);
}

/**
 * Validates an OKR set (core's schema, then cross-references): unique ids, known rollup
 * children, no alignment or rollup cycles (each a clear `E_VALIDATION` naming the cycle).
 * Unknown parents and odd `drives` links are warnings: a parent may live in another set.
 */
export function prepareOkrSet(input: unknown, scoreFrom: ObjectiveScoreFrom = 'keyResults'): PreparedOkrSet {
  const set = parseOkrSet(input);
  const diagnostics: Diagnostic[] = [];
  const objectiveIndex = checkUniqueIds(set);
  const alignedChildren = checkAlignment(set, objectiveIndex, diagnostics);
  const keyResultPlaces = indexKeyResults(set);
  checkDrives(set, keyResultPlaces, diagnostics);
  const order = dependencyOrder(set, keyResultPlaces, objectiveIndex, alignedChildren, scoreFrom);
  return { set, objectiveIndex, keyResultPlaces, alignedChildren, order, diagnostics };
}

export function keyResultAt(
  set: OkrSet,
  place: KeyResultPlace,
): { objective: Objective; keyResult: KeyResult } | undefined {
  const objective = set.objectives[place.objective];
  const keyResult = objective?.keyResults[place.keyResult];
  return objective === undefined || keyResult === undefined ? undefined : { objective, keyResult };
}
