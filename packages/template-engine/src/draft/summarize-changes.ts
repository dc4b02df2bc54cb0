import {
  ChangeSummarySchema,
  DraftSchema,
  SLOT_PROPERTIES,
  canonicalJson,
  effectiveLock,
  isTextProperty,
  lockLevelName,
  slotProperty,
  parse,
  type ChangeSummary,
  type Draft,
  type LockLevelName,
  type ModuleInstance,
  type Template,
} from '@hubspoke/core';
import { compileTemplate, type CompiledTemplate } from '../template/compiled.js';

/**
 * What a draft changed, as routing facts for approval workflows (core `ChangeSummary`): compared
 * with `previous`, or, without it, with a fresh draft of the template (its initial modules and
 * every slot at its default). Structural means modules were added, removed, reordered or hidden.
 */
export function summarizeChanges(template: Template, draftInput: Draft, previousInput?: Draft): ChangeSummary {
  const compiled = compileTemplate(template);
  const draft = parse(DraftSchema, draftInput, 'draft');
  const previous = previousInput === undefined ? undefined : parse(DraftSchema, previousInput, 'previous');
  // Against a previous draft instance ids count (swapping two articles reorders content); a fresh
  // draft's instance ids are arbitrary, so only the module sequence is compared.
  const structural = previous
    ? arrangement(draft.modules, true) !== arrangement(previous.modules, true)
    : arrangement(draft.modules, false) !== arrangement(initialModules(compiled), false);
  const changedSlots: ChangeSummary['changedSlots'] = [];
  const changedFields: NonNullable<ChangeSummary['changedFields']> = [];
  const locks = new Set<LockLevelName>();
  let textOnly = !structural;

  const locales = new Set([...Object.keys(draft.content), ...Object.keys(previous?.content ?? {})]);
  for (const locale of locales) {
    for (const instance of draft.modules) {
      const module = compiled.modules.get(instance.moduleId);
      if (!module) continue;
      for (const slot of module.slots.values()) {
        const def = slot.def;
        const base = previous ? previous.content[locale]?.slots[instance.instanceId]?.[def.id] : undefined;
        const now = draft.content[locale]?.slots[instance.instanceId]?.[def.id];
        if (now === undefined && base === undefined) continue;
        const before = base ?? (previous ? undefined : def.default);
        if (now !== undefined && before !== undefined && canonicalJson(now) === canonicalJson(before)) continue;
        const lock = lockLevelName(effectiveLock(def, module.def));
        changedSlots.push({ instanceId: instance.instanceId, slotId: def.id, locale, lock, kind: def.kind });
        locks.add(lock);
        const changed = SLOT_PROPERTIES[def.kind].filter(
          (p) =>
            canonicalJson(slotProperty(def, now, p) ?? null) !== canonicalJson(slotProperty(def, before, p) ?? null),
        );
        if (changed.some((p) => !isTextProperty(p))) textOnly = false;
      }
    }
    for (const field of ['subject', 'preheader'] as const) {
      const now = draft.content[locale]?.[field];
      const before = previous ? previous.content[locale]?.[field] : compiled.template[field].default;
      if (now === undefined || now === before) continue;
      const lock = lockLevelName(compiled.template[field].lock);
      changedFields.push({ field, locale, lock });
      locks.add(lock);
    }
  }
  const baseLocales = previous ? Object.keys(previous.content) : [draft.defaultLocale];
  return parse(
    ChangeSummarySchema,
    {
      structural,
      touchedLockLevels: [...locks].sort(),
      changedSlots,
      newLocales: Object.keys(draft.content).filter((l) => !baseLocales.includes(l)),
      textOnly,
      changedFields,
    },
    'changeSummary',
  );
}

function arrangement(modules: readonly ModuleInstance[], withIds: boolean): string {
  return modules
    .filter((m) => !m.hidden)
    .map((m) => (withIds ? `${m.instanceId}:${m.moduleId}` : m.moduleId))
    .join('\n');
}

/**
 * The arrangement a fresh draft starts with: `initialModules`, else the template as written (each
 * module once, or as often as its minimum), so a new draft is the whole email, not an empty one.
 */
export function initialModules(compiled: CompiledTemplate): ModuleInstance[] {
  const { template } = compiled;
  const ids =
    template.initialModules ??
    template.modules.flatMap((m) => Array.from({ length: Math.max(m.occurs.min, 1) }, () => m.id));
  return ids.map((moduleId, i) => ({
    instanceId: ids.indexOf(moduleId) === i ? moduleId : `${moduleId}-${i + 1}`,
    moduleId,
    hidden: false,
  }));
}
