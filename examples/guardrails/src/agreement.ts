import { extractUnits } from '@hubspoke/assist';
import { createLinter, type Linter } from '@hubspoke/brand-rules';
import { SLOT_PROPERTIES, canEdit, type BrandKit, type Draft, type Template } from '@hubspoke/core';
import { validateDraft } from '@hubspoke/template-engine';

/** What each library says about one property of one slot in one locale. */
export interface Verdict {
  key: string;
  /** The template engine reports `template/locked-slot` for it. */
  engine: boolean;
  /** The brand linter's `brand/locked-content` rule reports it. */
  linter: boolean;
  /** Assist offers the property's words for translation (text and alt only). */
  assist: boolean | undefined;
  /** Core's lock table lets a spoke change it. */
  editable: boolean;
}

const linters = new WeakMap<BrandKit, Linter>();

function lockedContentLinter(kit: BrandKit, template: Template): Linter {
  let linter = linters.get(kit);
  if (linter === undefined) {
    linter = createLinter({ brandKit: kit, template, config: { rules: { 'brand/locked-content': 'error' } } });
    linters.set(kit, linter);
  }
  return linter;
}

/** Runs the draft through the three libraries and lines their answers up per slot property. */
export function lockVerdicts(template: Template, draft: Draft, kit: BrandKit): Verdict[] {
  const engine = new Set(
    validateDraft(template, draft)
      .filter((d) => d.ruleId === 'template/locked-slot')
      .map((d) => `${d.location.locale}/${d.location.instanceId}/${d.location.slotId}/${d.location.property}`),
  );
  const linted = lockedContentLinter(kit, template).lint({ draft, template });
  const linter = new Set(
    linted.diagnostics
      .filter((d) => d.ruleId === 'brand/locked-content')
      .map((d) => {
        const property = (d.data as { property?: string } | undefined)?.property;
        return `${d.location.locale}/${d.location.instanceId}/${d.location.slotId}/${property}`;
      }),
  );
  const verdicts: Verdict[] = [];
  const modules = new Map(template.modules.map((m) => [m.id, m]));
  for (const locale of Object.keys(draft.content)) {
    const offered = new Set(extractUnits(draft, template, locale).map((u) => u.id));
    for (const instance of draft.modules) {
      const module = modules.get(instance.moduleId);
      if (module === undefined) continue;
      for (const slot of module.slots) {
        for (const property of SLOT_PROPERTIES[slot.kind]) {
          const key = `${locale}/${instance.instanceId}/${slot.id}/${property}`;
          const unitId =
            slot.kind === 'image' && property === 'alt'
              ? `slots/${instance.instanceId}/${slot.id}/alt`
              : slot.kind === 'link' && property === 'text'
                ? `slots/${instance.instanceId}/${slot.id}/text`
                : (slot.kind === 'text' || slot.kind === 'richText') && property === 'text'
                  ? `slots/${instance.instanceId}/${slot.id}`
                  : undefined;
          verdicts.push({
            key,
            engine: engine.has(key),
            linter: linter.has(key),
            assist: unitId === undefined ? undefined : offered.has(unitId),
            editable: canEdit(slot, module, property),
          });
        }
      }
    }
  }
  return verdicts;
}
