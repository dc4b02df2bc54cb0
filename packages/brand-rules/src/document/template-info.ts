import type { ModuleDef, SlotDef, Template } from '@hubspoke/core';
import { Parser } from 'htmlparser2';
import type { SlotRole } from '../types.js';

/** What brand rules need to know about a template: slot roles and the hub's own text per module. */
export interface TemplateInfo {
  readonly template: Template;
  module(moduleId: string): ModuleDef | undefined;
  slot(moduleId: string, slotId: string): SlotDef | undefined;
  /** `heading`, `cta`, `footer` or `body`. */
  role(moduleId: string, slotId: string | undefined): SlotRole;
  /** Text written in the module's MJML outside any slot (hub-owned). */
  hubText(moduleId: string): readonly string[];
}

const ROLES = new Set<SlotRole>(['heading', 'cta', 'footer', 'body']);
const HEADING_ID = /^(?:headline|heading|title|h[1-6])(?:[-_.]?\d+)?$/i;

interface ModuleScan {
  roles: Map<string, SlotRole>;
  moduleRole: SlotRole | undefined;
  text: string[];
}

/** One htmlparser2 pass over a module's MJML: roles of its slots and its text outside slots. */
function scanModule(mjml: string): ModuleScan {
  const scan: ModuleScan = { roles: new Map(), moduleRole: undefined, text: [] };
  const stack: { name: string; slot: string | undefined; heading: boolean; skip: boolean }[] = [];
  let buffer = '';
  const flush = () => {
    const t = buffer.replace(/\s+/g, ' ').trim();
    if (t !== '') scan.text.push(t);
    buffer = '';
  };
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const parent = stack[stack.length - 1];
        const slot = attribs['hs-slot'] ?? parent?.slot;
        const heading = parent?.heading === true || /^h[1-6]$/.test(name);
        const skip =
          parent?.skip === true || name === 'mj-head' || name === 'mj-style' || name === 'mj-raw' || name === 'style';
        const role = attribs['hs-role'];
        if (stack.length === 0 && role !== undefined && ROLES.has(role as SlotRole)) scan.moduleRole = role as SlotRole;
        const declared = attribs['hs-slot'];
        if (declared !== undefined) {
          flush();
          const inferred: SlotRole | undefined =
            role !== undefined && ROLES.has(role as SlotRole)
              ? (role as SlotRole)
              : name === 'mj-button'
                ? 'cta'
                : heading
                  ? 'heading'
                  : undefined;
          if (inferred !== undefined) scan.roles.set(declared, inferred);
        }
        if (
          /^(?:mj-(?:text|button|section|column|wrapper|hero|table|navbar-link|social-element)|p|div|h[1-6]|td|tr|li|br)$/.test(
            name,
          )
        )
          flush();
        stack.push({ name, slot, heading, skip });
      },
      ontext(data) {
        const top = stack[stack.length - 1];
        if (top === undefined || top.slot !== undefined || top.skip) return;
        buffer += data;
      },
      onclosetag() {
        stack.pop();
        flush();
      },
    },
    { lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.end(mjml);
  flush();
  return scan;
}

const cache = new WeakMap<Template, TemplateInfo>();

/**
 * Reads slot roles and hub text from a template's MJML (parsed once and cached per template
 * object). `overrides` (`{"hero.headline": "heading", "legal": "footer"}`) win over inference.
 */
export function templateInfo(template: Template, overrides: Readonly<Record<string, SlotRole>> = {}): TemplateInfo {
  const hasOverrides = Object.keys(overrides).length > 0;
  const cached = hasOverrides ? undefined : cache.get(template);
  if (cached) return cached;
  const modules = new Map(template.modules.map((m) => [m.id, m]));
  const scans = new Map<string, ModuleScan>();
  const scanOf = (moduleId: string): ModuleScan | undefined => {
    const def = modules.get(moduleId);
    if (def === undefined) return undefined;
    let scan = scans.get(moduleId);
    if (scan === undefined) {
      scan = scanModule(def.mjml);
      scans.set(moduleId, scan);
    }
    return scan;
  };
  const moduleRole = (def: ModuleDef): SlotRole | undefined => {
    const explicit = overrides[def.id] ?? scanOf(def.id)?.moduleRole;
    if (explicit !== undefined) return explicit;
    if (def.tags.includes('footer') || /footer/i.test(def.id) || (def.pinned && def.position === 'end'))
      return 'footer';
    return undefined;
  };
  const info: TemplateInfo = {
    template,
    module: (id) => modules.get(id),
    slot: (moduleId, slotId) => modules.get(moduleId)?.slots.find((s) => s.id === slotId),
    role(moduleId, slotId) {
      const def = modules.get(moduleId);
      if (def === undefined) return 'body';
      if (slotId !== undefined) {
        const explicit = overrides[`${moduleId}.${slotId}`];
        if (explicit !== undefined) return explicit;
      }
      const ofModule = moduleRole(def);
      if (ofModule === 'footer') return 'footer';
      if (slotId !== undefined) {
        const inferred = scanOf(moduleId)?.roles.get(slotId);
        if (inferred !== undefined) return inferred;
        if (HEADING_ID.test(slotId)) return 'heading';
        const slot = def.slots.find((s) => s.id === slotId);
        if (slot?.kind === 'link' && /cta|button/i.test(slotId)) return 'cta';
      }
      return ofModule ?? 'body';
    },
    hubText: (moduleId) => scanOf(moduleId)?.text ?? [],
  };
  if (!hasOverrides) cache.set(template, info);
  return info;
}
