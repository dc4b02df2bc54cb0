import { checkArgs, HubspokeError, type ModuleDef, type ModuleInstance, type Template } from '@hubspoke/core';

/** Whether an action is allowed, and if not, why (shown to the spoke next to the disabled control). */
export interface Allowed {
  ok: boolean;
  reason?: string;
}

const yes: Allowed = { ok: true };
const no = (reason: string): Allowed => ({ ok: false, reason });

/** Where a Move menu can send an instance (indexes into `draft.modules`), each only when the template allows it. */
export interface MoveTargets {
  up?: number;
  down?: number;
  top?: number;
  bottom?: number;
}

/**
 * The template's composition rules for a draft's module list (`occurs`, `pinned`, `position`,
 * `ordering`, `visible` locks), in the same terms `validateDraft` checks them, so every control
 * the editor enables leads to a valid arrangement and every disabled one says why.
 */
export class Composition {
  private readonly modules: Map<string, { def: ModuleDef; index: number }>;

  constructor(private readonly template: Template) {
    checkArgs('Composition', ['template:object'], [template]);
    if (
      !Array.isArray(template.modules) ||
      (template.modules as unknown[]).some((m) => typeof m !== 'object' || m === null)
    )
      throw new HubspokeError('E_VALIDATION', 'Invalid template: expected its modules', { path: 'template.modules' });
    this.modules = new Map(template.modules.map((def, index) => [def.id, { def, index }]));
  }

  module(id: string): ModuleDef | undefined {
    return this.modules.get(id)?.def;
  }

  /** Arrangement problems, as `validateDraft` would report them (only visible instances count). */
  problems(list: readonly ModuleInstance[]): string[] {
    const out: string[] = [];
    const visible = list.filter((m) => !m.hidden && this.modules.has(m.moduleId));
    for (const [id, { def }] of this.modules) {
      const count = visible.filter((m) => m.moduleId === id).length;
      if (def.pinned && count === 0) out.push(`${def.name} is pinned`);
      else if (count < def.occurs.min) out.push(`${def.name} is needed at least ${def.occurs.min}×`);
      if (count > def.occurs.max) out.push(`${def.name} is allowed at most ${def.occurs.max}×`);
    }
    visible.forEach((m, i) => {
      const { def, index } = this.modules.get(m.moduleId) ?? { def: undefined, index: 0 };
      if (!def) return;
      const before = visible.slice(0, i).map((b) => this.modules.get(b.moduleId)?.def.position);
      const after = visible.slice(i + 1).map((a) => this.modules.get(a.moduleId)?.def.position);
      if (def.position === 'start' && before.some((p) => p !== 'start')) out.push(`${def.name} must come first`);
      if (def.position === 'end' && after.some((p) => p !== 'end')) out.push(`${def.name} must come last`);
      const previous = visible[i - 1];
      if (this.template.ordering === 'declared' && previous) {
        const prevIndex = this.modules.get(previous.moduleId)?.index ?? 0;
        if (prevIndex > index) out.push(`${def.name} must follow the template's order`);
      }
    });
    return out;
  }

  /** The problems of each list `keepsValid` compared against (lists are never changed in place). */
  private readonly known = new WeakMap<readonly ModuleInstance[], Set<string>>();

  /** True when `next` has no problem that `current` did not already have. */
  private keepsValid(current: readonly ModuleInstance[], next: readonly ModuleInstance[]): boolean {
    const before = this.known.get(current) ?? new Set(this.problems(current));
    this.known.set(current, before);
    return this.problems(next).every((p) => before.has(p));
  }

  canAdd(list: readonly ModuleInstance[], moduleId: string): Allowed {
    const entry = this.modules.get(moduleId);
    if (!entry) return no('This module is not part of the template');
    const count = list.filter((m) => m.moduleId === moduleId && !m.hidden).length;
    if (count >= entry.def.occurs.max)
      return no(`The template allows ${entry.def.name} at most ${entry.def.occurs.max}×`);
    return yes;
  }

  /** Where a new instance of a module goes: after the last module it may follow. */
  insertionIndex(list: readonly ModuleInstance[], moduleId: string): number {
    const entry = this.modules.get(moduleId);
    if (!entry) return list.length;
    for (let at = list.length; at >= 0; at--) {
      const next = [...list.slice(0, at), { instanceId: '\u0000new', moduleId, hidden: false }, ...list.slice(at)];
      if (this.keepsValid(list, next)) return at;
    }
    return list.length;
  }

  canRemove(list: readonly ModuleInstance[], instanceId: string): Allowed {
    const instance = list.find((m) => m.instanceId === instanceId);
    const def = instance && this.modules.get(instance.moduleId)?.def;
    if (!instance || !def) return yes;
    if (def.pinned) return no(`${def.name} is pinned by the hub and stays in every email`);
    const count = list.filter((m) => m.moduleId === def.id && !m.hidden).length;
    if (!instance.hidden && count <= def.occurs.min)
      return no(`The template needs ${def.name} at least ${def.occurs.min}×`);
    return yes;
  }

  canHide(list: readonly ModuleInstance[], instanceId: string): Allowed {
    const instance = list.find((m) => m.instanceId === instanceId);
    const def = instance && this.modules.get(instance.moduleId)?.def;
    if (!instance || !def) return yes;
    if (instance.hidden) {
      const count = list.filter((m) => m.moduleId === def.id && !m.hidden).length;
      return count >= def.occurs.max ? no(`The template allows ${def.name} at most ${def.occurs.max}×`) : yes;
    }
    if (def.pinned) return no(`${def.name} is pinned by the hub and is always shown`);
    if (typeof def.lock === 'object' && def.lock.custom.visible !== 'enabled')
      return no(`The hub locked whether ${def.name} is shown`);
    const count = list.filter((m) => m.moduleId === def.id && !m.hidden).length;
    if (count <= def.occurs.min) return no(`The template needs ${def.name} at least ${def.occurs.min}×`);
    return yes;
  }

  /** Why an instance cannot move at all (pinned), or undefined. */
  fixedReason(list: readonly ModuleInstance[], instanceId: string): string | undefined {
    const def = this.module(list.find((m) => m.instanceId === instanceId)?.moduleId ?? '');
    if (def?.pinned) return `${def.name} is pinned by the hub: it stays ${def.position === 'end' ? 'last' : 'first'}`;
    return undefined;
  }

  /** Move targets per module list (lists are never changed in place): every card's Move menu asks on every redraw. */
  private readonly targets = new WeakMap<readonly ModuleInstance[], Map<string, MoveTargets>>();

  moveTargets(list: readonly ModuleInstance[], instanceId: string): MoveTargets {
    let known = this.targets.get(list);
    if (known === undefined) this.targets.set(list, (known = new Map<string, MoveTargets>()));
    let targets = known.get(instanceId);
    if (targets === undefined) known.set(instanceId, (targets = this.findMoveTargets(list, instanceId)));
    return { ...targets };
  }

  private findMoveTargets(list: readonly ModuleInstance[], instanceId: string): MoveTargets {
    const from = list.findIndex((m) => m.instanceId === instanceId);
    if (from < 0 || this.fixedReason(list, instanceId) !== undefined) return {};
    const valid = (to: number) =>
      to !== from && to >= 0 && to < list.length && this.keepsValid(list, moved(list, from, to));
    const targets: MoveTargets = {};
    if (valid(from - 1)) targets.up = from - 1;
    if (valid(from + 1)) targets.down = from + 1;
    for (let to = 0; to < from - 1; to++)
      if (valid(to)) {
        targets.top = to;
        break;
      }
    for (let to = list.length - 1; to > from + 1; to--)
      if (valid(to)) {
        targets.bottom = to;
        break;
      }
    return targets;
  }

  canMove(list: readonly ModuleInstance[], instanceId: string, to: number): boolean {
    const from = list.findIndex((m) => m.instanceId === instanceId);
    if (from < 0 || from === to || this.fixedReason(list, instanceId) !== undefined) return false;
    return to >= 0 && to < list.length && this.keepsValid(list, moved(list, from, to));
  }
}

/** The list with the item at `from` moved to index `to`. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/** An instance id for a new instance of a module, unique in the draft. */
export function newInstanceId(list: readonly ModuleInstance[], moduleId: string): string {
  const taken = new Set(list.map((m) => m.instanceId));
  if (!taken.has(moduleId)) return moduleId;
  for (let n = 2; ; n++) {
    const id = `${moduleId}-${n}`;
    if (!taken.has(id)) return id;
  }
}
