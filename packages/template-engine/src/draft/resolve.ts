import type { Diagnostic, Draft, Location, LockLevel, ModuleInstance, SlotValue, Template } from '@hubspoke/core';
import { diagnostic } from '../diagnostics.js';
import type { CompiledModule, CompiledSlot, CompiledTemplate } from '../template/compiled.js';
import { effectiveLock, matchesKind } from '@hubspoke/core';
import { expectedShape, mergeWithLocks } from './slot-values.js';

/**
 * The locales a value is looked up in, in order: the locale itself, its declared fallbacks (the
 * draft's, else the template's; without a declaration the bare language of a regional locale),
 * then the draft's default locale.
 */
export function localeChain(
  template: Template,
  draft: Pick<Draft, 'fallbacks' | 'defaultLocale'>,
  locale: string,
): string[] {
  // A draft read as written (hubspoke init writes none) may have no fallbacks: they default to none.
  const given: { fallbacks?: Record<string, string[] | undefined> } = draft;
  const declared = given.fallbacks?.[locale] ?? template.fallbacks[locale];
  const language = locale.split('-')[0];
  const implicit = language !== undefined && language !== locale ? [language] : [];
  return [...new Set([locale, ...(declared ?? implicit), draft.defaultLocale])];
}

export interface ResolvedSlot {
  slot: CompiledSlot;
  /** The fallback used or the spoke value ignored, if any. */
  diagnostics: Diagnostic[];
  /** What renders: spoke value merged with the template default under the lock. */
  value: SlotValue | undefined;
  /** The locale the spoke value came from, when it came from the draft. */
  from: string | undefined;
  /** Properties rendered from the template's default as the hub wrote it. */
  fromDefault: readonly string[];
}

export interface ResolvedInstance {
  instance: ModuleInstance;
  module: CompiledModule;
  slots: Map<string, ResolvedSlot>;
}

export interface ResolvedText {
  value: string;
  from: string | undefined;
  diagnostics: Diagnostic[];
}

export interface ResolvedDraft {
  locale: string;
  chain: string[];
  /** Visible instances of known modules, in draft order. */
  instances: ResolvedInstance[];
  subject: ResolvedText;
  preheader: ResolvedText;
  /** Draft-wide findings: missing locale, content for unknown instances or slots, subject/preheader fallbacks. Per-slot ones are on each slot. */
  diagnostics: Diagnostic[];
}

/** Works out what every slot of a draft renders as in one locale. Never throws for content problems. */
export function resolveDraft(compiled: CompiledTemplate, draft: Draft, locale: string): ResolvedDraft {
  const { template } = compiled;
  const chain = localeChain(template, draft, locale);
  const diagnostics: Diagnostic[] = [];
  if (!Object.hasOwn(draft.content, locale)) {
    diagnostics.push(
      diagnostic(
        'l10n/missing-locale',
        'warning',
        `The draft has no content for "${locale}"; everything falls back along ${chain.join(' → ')}`,
        { locale },
        { chain },
      ),
    );
  }
  const instances: ResolvedInstance[] = [];
  for (const instance of draft.modules) {
    const module = compiled.modules.get(instance.moduleId);
    if (!module || instance.hidden) continue;
    const slots = new Map<string, ResolvedSlot>();
    for (const slot of module.slots.values()) slots.set(slot.def.id, resolveSlot(draft, chain, instance, module, slot));
    instances.push({ instance, module, slots });
  }
  reportOrphans(compiled, draft, chain, diagnostics);
  return {
    locale,
    chain,
    instances,
    subject: resolveField(draft, chain, 'subject', template.subject.default),
    preheader: resolveField(draft, chain, 'preheader', template.preheader.default),
    diagnostics,
  };
}

const locks = new WeakMap<CompiledSlot, LockLevel>();

/** The lock that applies to a compiled slot (compiled templates do not change: asked once per slot). */
function lockOf(module: CompiledModule, slot: CompiledSlot): LockLevel {
  let lock = locks.get(slot);
  if (lock === undefined) locks.set(slot, (lock = effectiveLock(slot.def, module.def)));
  return lock;
}

function slotLocation(locale: string, module: CompiledModule, instance: ModuleInstance, slotId: string): Location {
  return { locale, moduleId: module.def.id, instanceId: instance.instanceId, slotId };
}

/** What one slot of one instance renders in the locale at the head of `chain`. */
export function resolveSlot(
  draft: Draft,
  chain: string[],
  instance: ModuleInstance,
  module: CompiledModule,
  slot: CompiledSlot,
): ResolvedSlot {
  const def = slot.def;
  const diagnostics: Diagnostic[] = [];
  // Text-like kinds say whether they are translated; colours, booleans and lists may differ per
  // locale but falling back for them is not a missing translation.
  const translatable = 'translatable' in def ? def.translatable : undefined;
  const lookIn = translatable === false ? [draft.defaultLocale] : chain;
  let spoke: SlotValue | undefined;
  let from: string | undefined;
  for (const loc of lookIn) {
    const value = draft.content[loc]?.slots[instance.instanceId]?.[def.id];
    if (value === undefined) continue;
    if (!matchesKind(def, value)) {
      diagnostics.push(
        diagnostic(
          'template/wrong-kind',
          'error',
          `Slot "${def.id}" expects ${expectedShape(def)}; the value was ignored and the template default renders`,
          slotLocation(loc, module, instance, def.id),
        ),
      );
      continue;
    }
    spoke = value;
    from = loc;
    break;
  }
  const requested = chain[0] ?? draft.defaultLocale;
  if (from !== undefined && from !== requested && translatable === true) {
    diagnostics.push(
      diagnostic(
        'l10n/fallback',
        'warning',
        `Slot "${def.id}" has no "${requested}" value; the "${from}" value is used`,
        slotLocation(requested, module, instance, def.id),
        { from, chain },
      ),
    );
  }
  const merged = mergeWithLocks(def, lockOf(module, slot), spoke);
  if (merged.lockedChanges.length > 0) {
    diagnostics.push(
      diagnostic(
        'template/locked-slot',
        'error',
        `Slot "${def.id}" is locked (${merged.lockedChanges.join(', ')}); the change was ignored and the template's value renders`,
        { ...slotLocation(from ?? requested, module, instance, def.id), property: merged.lockedChanges[0] },
        {
          properties: merged.lockedChanges,
        },
      ),
    );
  }
  return { slot, value: merged.value, from, diagnostics, fromDefault: merged.fromDefault };
}

/** The subject or preheader in the locale at the head of `chain`, else the template default. */
export function resolveField(
  draft: Draft,
  chain: string[],
  field: 'subject' | 'preheader',
  fallback: string | undefined,
): ResolvedText {
  const requested = chain[0] ?? draft.defaultLocale;
  for (const loc of chain) {
    const value = draft.content[loc]?.[field];
    if (value === undefined) continue;
    const diagnostics =
      loc === requested
        ? []
        : [
            diagnostic(
              'l10n/fallback',
              'warning',
              `The ${field} has no "${requested}" value; the "${loc}" value is used`,
              { locale: requested, field },
              { from: loc, chain },
            ),
          ];
    return { value, from: loc, diagnostics };
  }
  return { value: fallback ?? '', from: undefined, diagnostics: [] };
}

/** Content for instances or slots the draft or template does not have is never rendered: say so. */
function reportOrphans(compiled: CompiledTemplate, draft: Draft, chain: string[], diagnostics: Diagnostic[]): void {
  const instances = new Map(draft.modules.map((m) => [m.instanceId, m]));
  for (const loc of chain) {
    for (const [instanceId, values] of Object.entries(draft.content[loc]?.slots ?? {})) {
      const instance = instances.get(instanceId);
      const module = instance ? compiled.modules.get(instance.moduleId) : undefined;
      if (!instance) {
        diagnostics.push(
          diagnostic(
            'template/unknown-instance',
            'error',
            `Content for "${instanceId}", which is not a module in the draft, is not rendered`,
            { locale: loc, instanceId },
          ),
        );
        continue;
      }
      for (const slotId of Object.keys(values)) {
        if (module && !module.slots.has(slotId)) {
          diagnostics.push(
            diagnostic(
              'template/unknown-slot',
              'error',
              `Module "${module.def.id}" has no slot "${slotId}"; its value is not rendered`,
              { locale: loc, instanceId, moduleId: module.def.id, slotId },
            ),
          );
        }
      }
    }
  }
}
