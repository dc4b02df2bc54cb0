import {
  DraftSchema,
  HubspokeError,
  canonicalJson,
  parse,
  type Diagnostic,
  type Draft,
  type LocaleContent,
  type ModuleInstance,
  type SlotValue,
  type Template,
} from '@hubspoke/core';
import { diagnostic } from '../diagnostics.js';
import { compileTemplate, type CompiledModule, type CompiledTemplate } from '../template/compiled.js';
import { effectiveLock, matchesKind } from '@hubspoke/core';
import { mergeWithLocks } from './slot-values.js';
import { validateDraft } from './validate-draft.js';

export interface UpgradeResult {
  /** The draft pinned to the new version, with every compatible value kept. */
  draft: Draft;
  /**
   * What changed, precisely: `upgrade/module-removed`, `upgrade/module-surplus`, `upgrade/slot-removed`,
   * `upgrade/slot-reset` (the old value is in `data.value`, nothing is lost), `upgrade/needs-edit`,
   * `upgrade/slot-required`, `upgrade/module-added`, `upgrade/module-reordered`, `upgrade/module-outdated`.
   */
  diagnostics: Diagnostic[];
}

/** Constraint failures that make a value unusable in the new version: it is reset to the default. */
const RESET = new Set([
  'template/wrong-kind',
  'template/list-option',
  'template/link-scheme',
  'template/link-domain',
  'template/image-url',
  'template/image-domain',
  'template/image-size',
  'template/invalid-color',
]);
/** Failures the spoke can fix by editing the value: it is kept and flagged. */
const NEEDS_EDIT = new Set([
  'template/too-long',
  'template/too-short',
  'template/pattern',
  'template/multiline',
  'template/missing-alt',
  'template/empty-link-text',
]);

/**
 * Moves a draft from one template version to another. Spoke content is kept wherever its slot
 * still exists and is compatible; everything dropped or reset is reported with its old value, and
 * everything the new version newly requires is reported as an error to fix.
 */
export function upgradeDraft(draftInput: Draft, fromInput: Template, toInput: Template): UpgradeResult {
  const draft = parse(DraftSchema, draftInput, 'draft');
  const from = compileTemplate(fromInput);
  const to = compileTemplate(toInput);
  if (from.template.id !== to.template.id) {
    throw new HubspokeError(
      'E_VALIDATION',
      `to.id: cannot upgrade from template "${from.template.id}" to a different template "${to.template.id}"`,
      { path: 'to.id' },
    );
  }
  if (draft.template.id !== from.template.id || draft.template.version !== from.template.version) {
    throw new HubspokeError(
      'E_CONFLICT',
      `draft.template: the draft pins ${draft.template.id}@${draft.template.version}, not ${from.template.id}@${from.template.version}`,
      { path: 'draft.template' },
    );
  }
  const diagnostics: Diagnostic[] = [];
  const modules = upgradeModules(draft, from, to, diagnostics);
  const kept = new Set(modules.map((m) => m.instanceId));
  const content: Record<string, LocaleContent> = {};
  for (const [locale, localeContent] of Object.entries(draft.content)) {
    const slots: LocaleContent['slots'] = {};
    for (const [instanceId, values] of Object.entries(localeContent.slots)) {
      if (!kept.has(instanceId)) continue;
      const instance = modules.find((m) => m.instanceId === instanceId);
      const module = instance && to.modules.get(instance.moduleId);
      if (!module) continue;
      const next: Record<string, SlotValue> = {};
      for (const [slotId, value] of Object.entries(values)) {
        const slot = module.slots.get(slotId);
        const at = { locale, instanceId, moduleId: module.def.id, slotId };
        if (!slot) {
          diagnostics.push(
            diagnostic(
              'upgrade/slot-removed',
              'warning',
              `Version ${to.template.version} has no slot "${slotId}" in "${module.def.name}"; its value was dropped`,
              at,
              { value },
            ),
          );
          continue;
        }
        if (!matchesKind(slot.def, value)) {
          diagnostics.push(
            diagnostic(
              'upgrade/slot-reset',
              'warning',
              `Slot "${slotId}" is now ${slot.def.kind}; the old value was reset to the template default`,
              at,
              { value, reason: 'kind' },
            ),
          );
          continue;
        }
        const merged = mergeWithLocks(slot.def, effectiveLock(slot.def, module.def), value);
        if (merged.lockedChanges.length > 0) {
          diagnostics.push(
            diagnostic(
              'upgrade/slot-reset',
              'warning',
              `Slot "${slotId}" now locks ${merged.lockedChanges.join(', ')}; the template's value replaces the draft's`,
              at,
              { value, reason: 'locked', properties: merged.lockedChanges },
            ),
          );
          if (merged.value === undefined) continue;
          next[slotId] = merged.value;
        } else next[slotId] = value;
      }
      slots[instanceId] = next;
    }
    content[locale] = { ...localeContent, slots };
  }
  const upgraded: Draft = {
    ...draft,
    version: draft.version + 1,
    template: { id: to.template.id, version: to.template.version },
    modules,
    content,
  };
  checkValues(upgraded, from, to, diagnostics);
  return { draft: parse(DraftSchema, upgraded, 'draft'), diagnostics };
}

function upgradeModules(
  draft: Draft,
  from: CompiledTemplate,
  to: CompiledTemplate,
  diagnostics: Diagnostic[],
): ModuleInstance[] {
  const contentOf = (instanceId: string) =>
    Object.fromEntries(
      Object.entries(draft.content).flatMap(([l, c]) => (c.slots[instanceId] ? [[l, c.slots[instanceId]]] : [])),
    );
  let modules: ModuleInstance[] = [];
  for (const instance of draft.modules) {
    const module = to.modules.get(instance.moduleId);
    const at = { instanceId: instance.instanceId, moduleId: instance.moduleId };
    if (!module) {
      diagnostics.push(
        diagnostic(
          'upgrade/module-removed',
          'warning',
          `Version ${to.template.version} no longer has module "${instance.moduleId}"; the instance and its content were dropped`,
          at,
          { instance, content: contentOf(instance.instanceId) },
        ),
      );
      continue;
    }
    const count = modules.filter((m) => m.moduleId === instance.moduleId && !m.hidden).length;
    if (!instance.hidden && count >= module.def.occurs.max) {
      diagnostics.push(
        diagnostic(
          'upgrade/module-surplus',
          'warning',
          `"${module.def.name}" may now appear at most ${module.def.occurs.max} time(s); this instance and its content were dropped`,
          at,
          { instance, content: contentOf(instance.instanceId) },
        ),
      );
      continue;
    }
    const before = from.modules.get(instance.moduleId);
    if (before && !sameModule(before, module)) {
      diagnostics.push(
        diagnostic(
          'upgrade/module-outdated',
          'suggestion',
          `"${module.def.name}" changed in version ${to.template.version}: review this instance`,
          at,
        ),
      );
    }
    modules.push(module.def.pinned ? { ...instance, hidden: false } : instance);
  }
  for (const module of to.modules.values()) {
    let count = modules.filter((m) => m.moduleId === module.def.id && !m.hidden).length;
    while (count < module.def.occurs.min) {
      const instanceId = uniqueId(module.def.id, modules);
      modules.push({ instanceId, moduleId: module.def.id, hidden: false });
      count += 1;
      diagnostics.push(
        diagnostic(
          'upgrade/module-added',
          'warning',
          `Version ${to.template.version} needs "${module.def.name}"; it was added with the template's content`,
          { instanceId, moduleId: module.def.id },
        ),
      );
    }
  }
  const ordered = orderFor(to, modules);
  if (ordered.some((m, i) => m !== modules[i])) {
    diagnostics.push(
      diagnostic(
        'upgrade/module-reordered',
        'warning',
        `Modules were reordered to follow version ${to.template.version}'s order rules`,
        {},
        { order: ordered.map((m) => m.instanceId) },
      ),
    );
    modules = ordered;
  }
  return modules;
}

/** Stable order that satisfies start/end positions and, for declared ordering, declaration order. */
function orderFor(to: CompiledTemplate, modules: ModuleInstance[]): ModuleInstance[] {
  const rank = (m: ModuleInstance) => {
    const def = to.modules.get(m.moduleId);
    const position = def?.def.position === 'start' ? 0 : def?.def.position === 'end' ? 2 : 1;
    return [position, to.template.ordering === 'declared' ? (def?.index ?? 0) : 0];
  };
  return modules
    .map((m, i) => ({ m, i, r: rank(m) }))
    .sort((a, b) => (a.r[0] ?? 0) - (b.r[0] ?? 0) || (a.r[1] ?? 0) - (b.r[1] ?? 0) || a.i - b.i)
    .map((x) => x.m);
}

function uniqueId(base: string, modules: ModuleInstance[]): string {
  const taken = new Set(modules.map((m) => m.instanceId));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/** Same module definition, ignoring where it sits in the source file. */
function sameModule(a: CompiledModule, b: CompiledModule): boolean {
  const shape = (m: CompiledModule) =>
    canonicalJson({
      ...m.def,
      sourceLine: null,
      slots: m.def.slots.map((s) => ({ ...s, sourceLine: null, sourceColumn: null })),
    });
  return shape(a) === shape(b);
}

/** Validates the upgraded values against the new constraints: reset what cannot be used, flag what needs an edit. */
function checkValues(draft: Draft, from: CompiledTemplate, to: CompiledTemplate, diagnostics: Diagnostic[]): void {
  for (const d of validateDraft(to.template, draft)) {
    const { locale, instanceId, slotId } = d.location;
    if (locale === undefined || instanceId === undefined || slotId === undefined) continue;
    const localeContent = draft.content[locale];
    const values = localeContent?.slots[instanceId];
    const value = values?.[slotId];
    if (RESET.has(d.ruleId) && localeContent && values && value !== undefined) {
      diagnostics.push(
        diagnostic(
          'upgrade/slot-reset',
          'warning',
          `${d.message}; the value was reset to the template default`,
          d.location,
          { value, reason: d.ruleId },
        ),
      );
      const { [slotId]: _reset, ...rest } = values;
      localeContent.slots[instanceId] = rest;
    } else if (NEEDS_EDIT.has(d.ruleId)) {
      diagnostics.push(
        diagnostic('upgrade/needs-edit', 'error', `${d.message} (new in version ${to.template.version})`, d.location, {
          reason: d.ruleId,
        }),
      );
    } else if (d.ruleId === 'template/required-slot') {
      const instance = draft.modules.find((m) => m.instanceId === instanceId);
      const before = instance && from.modules.get(instance.moduleId)?.slots.get(slotId);
      if (!before?.def.required)
        diagnostics.push(
          diagnostic(
            'upgrade/slot-required',
            'error',
            `${d.message}: required since version ${to.template.version}`,
            d.location,
          ),
        );
    }
  }
}
