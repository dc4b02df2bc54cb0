import { effectiveLock, lockedChanges, slotProperty, type Location } from '@hubspoke/core';
import { foldEquivalents } from '../matcher/fold.js';
import { defineRule } from './define-rule.js';

function normalize(text: string): string {
  return foldEquivalents(text).replace(/\s+/g, ' ').trim();
}

export const lockedContent = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Hub-owned content is unchanged from the template version the draft pins: locked slot properties keep their defaults, and every text the template writes outside slots is still in the rendered HTML',
      recommended: true,
    },
    fixable: 'code',
    messages: {
      versionMismatch: 'The {{what}} pins template {{pinned}} but the template given is {{given}}',
      unknownModule: 'Module "{{moduleId}}" of instance "{{instanceId}}" is not in template {{template}}',
      changed: 'Slot "{{slotId}}" of "{{instanceId}}" is locked ({{property}}) but differs from the template',
      hubTextMissing: 'Template text "{{text}}" of module "{{moduleId}}" is missing or altered in the rendered HTML',
    },
    overridable: false,
  },
  create(context) {
    const { template, draft, rendered, locale } = context;
    return {
      end() {
        if (template === undefined) return;
        const given = `${template.id}@${template.version}`;
        const check = (what: string, pin: { id: string; version: number }, location: Location) => {
          const pinned = `${pin.id}@${pin.version}`;
          if (pinned !== given)
            context.report({ messageId: 'versionMismatch', data: { what, pinned, given }, at: { location } });
        };
        if (draft !== undefined) check('draft', draft.template, { source: 'draft', locale });
        if (rendered !== undefined) check('rendered email', rendered.template, { source: 'html', locale });
        const modules = new Map(template.modules.map((m) => [m.id, m]));
        const instances =
          draft?.modules.filter((m) => !m.hidden) ??
          template.modules
            .filter((m) => m.pinned || m.occurs.min > 0)
            .map((m) => ({ instanceId: m.id, moduleId: m.id }));
        const slots = draft?.content[locale]?.slots ?? {};
        for (const instance of instances) {
          const def = modules.get(instance.moduleId);
          const location: Location = {
            source: 'draft',
            locale,
            instanceId: instance.instanceId,
            moduleId: instance.moduleId,
          };
          if (def === undefined) {
            context.report({
              messageId: 'unknownModule',
              data: { moduleId: instance.moduleId, instanceId: instance.instanceId, template: given },
              at: { location },
            });
            continue;
          }
          for (const slot of def.slots) {
            const value = slots[instance.instanceId]?.[slot.id];
            if (value === undefined) continue;
            for (const property of lockedChanges(slot, effectiveLock(slot, def), value)) {
              const actual = slotProperty(slot, value, property);
              const expected = slotProperty(slot, slot.default, property);
              const propertyLocation: Location = {
                ...location,
                slotId: slot.id,
                ...(typeof value === 'object' ? { property } : {}),
              };
              const restore = typeof expected === 'string' && typeof actual === 'string';
              context.report({
                messageId: 'changed',
                data: { slotId: slot.id, instanceId: instance.instanceId, property },
                at: { location: propertyLocation },
                fix: restore
                  ? {
                      description: 'Restore the template value',
                      target: { location: propertyLocation, start: 0, end: actual.length, escape: 'none' },
                      text: expected,
                    }
                  : undefined,
                facts: { expected: expected ?? null, property },
              });
            }
          }
        }
        if (rendered === undefined) return;
        const haystack = normalize(context.document.visual.map((u) => u.text).join(' '));
        const info = new Map<string, string[]>();
        for (const unit of context.document.hubText) {
          // Slot defaults are hub text too, but a fallback locale may fill the slot instead: only text outside slots must stay.
          if (
            unit.location.source !== 'template' ||
            unit.location.moduleId === undefined ||
            unit.location.slotId !== undefined
          )
            continue;
          info.set(unit.location.moduleId, [...(info.get(unit.location.moduleId) ?? []), unit.text]);
        }
        for (const [moduleId, texts] of info) {
          for (const text of texts) {
            if (text.includes('{{') || text.includes('{%') || normalize(text).length < 3) continue;
            if (!haystack.includes(normalize(text))) {
              context.report({
                messageId: 'hubTextMissing',
                data: { text: text.length > 80 ? `${text.slice(0, 77)}...` : text, moduleId },
                at: { location: { source: 'html', locale, moduleId } },
              });
            }
          }
        }
      },
    };
  },
});
