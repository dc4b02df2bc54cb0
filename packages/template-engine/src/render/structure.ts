import { sha256Hex, type ImageValue } from '@hubspoke/core';
import type { ResolvedDraft, ResolvedSlot } from '../draft/resolve.js';
import type { CompiledModule, CompiledTemplate } from '../template/compiled.js';
import { neutralizeLive, processTrusted } from './trusted.js';
import { processRichText, type Part } from './values.js';

/** Values compiled into the MJML itself (changing one means a new mjml compile). */
export interface FixedValue {
  visible?: boolean;
  list?: string;
  width?: number;
  height?: number;
  /** Rich text, when the template's head makes mjml rewrite the HTML (see `richTextIsStructural`). */
  rich?: Part[];
  /**
   * Attributes an untouched slot writes as the hub did, not through a hole: left out, or empty
   * (mjml and juice print an empty or missing `alt` their own way).
   */
  asWritten?: string;
}

export interface StructureInstance {
  instanceId: string;
  module: CompiledModule;
  fixed: Map<string, FixedValue>;
}

/** Everything that decides the mjml output apart from slot values: what a skeleton is compiled from. */
export interface Structure {
  compiled: CompiledTemplate;
  lang: string;
  dir: 'ltr' | 'rtl';
  annotate: boolean;
  hasSubject: boolean;
  hasPreheader: boolean;
  instances: StructureInstance[];
  key: string;
}

const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'ha', 'he', 'khw', 'ks', 'ku', 'ps', 'sd', 'ur', 'yi']);

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RTL_LANGUAGES.has(locale.split('-')[0] ?? '') ? 'rtl' : 'ltr';
}

/**
 * The part of a slot's value compiled into the MJML, if any. `preview`: the output is read, not
 * sent to a platform, so hub content compiled into it keeps its platform syntax as written.
 */
export function fixedValueOf(
  compiled: CompiledTemplate,
  resolved: ResolvedSlot,
  preview = false,
): FixedValue | undefined {
  const { slot, value } = resolved;
  const def = slot.def;
  if (def.kind === 'boolean') return { visible: value !== false };
  if (def.kind === 'list')
    return {
      list: typeof value === 'string' && def.options.includes(value) ? value : (def.default ?? def.options[0] ?? ''),
    };
  const fixed: FixedValue = {};
  const asWritten = writtenAttributes(resolved);
  if (asWritten !== undefined) fixed.asWritten = asWritten;
  if (def.kind === 'image' && slot.binding.size) {
    // An untouched size keeps the attribute as written.
    const image = value as ImageValue | undefined;
    if (image?.width !== undefined && !resolved.fromDefault.includes('width')) fixed.width = image.width;
    if (image?.height !== undefined && !resolved.fromDefault.includes('height')) fixed.height = image.height;
  }
  if (slot.binding.content && resolved.fromDefault.includes('text') && slot.rawMatches.has('text')) {
    // The hub's content goes through mjml itself when mjml rewrites it: inlined CSS, or Outlook
    // conditional comments that mjml minifies and merges.
    const raw = slot.raw.content;
    if (compiled.richTextIsStructural || /<!--\[if|<!\[endif\]/i.test(raw))
      fixed.rich = structuralTrusted(raw, def.kind === 'richText' || raw.includes('<'), preview);
  } else if (def.kind === 'richText' && compiled.richTextIsStructural)
    fixed.rich = processRichText(typeof value === 'string' ? value : '', def.allowedTags).html;
  return Object.keys(fixed).length === 0 ? undefined : fixed;
}

/** Image and link attributes the hub left out or empty, on a slot nobody changed: written into the MJML as they are. */
function writtenAttributes(resolved: ResolvedSlot): string | undefined {
  const { binding, raw, rawMatches } = resolved.slot;
  const names: string[] = [];
  for (const property of ['src', 'alt', 'href'] as const) {
    const name = binding[property];
    if (name === undefined || (raw.attrs[name] ?? '') !== '') continue;
    if (resolved.fromDefault.includes(property) && rawMatches.has(property)) names.push(name);
  }
  return names.length === 0 ? undefined : names.join(',');
}

const structural = new Map<string, Part[]>();

/** Trusted content compiled into the MJML, its live sequences made inert unless for the preview. */
function structuralTrusted(raw: string, markup: boolean, preview: boolean): Part[] {
  const key = `${markup ? 'm' : 't'}${preview ? 'p' : 's'}${raw}`;
  let parts = structural.get(key);
  if (!parts) {
    const { html } = processTrusted(raw, markup);
    parts = preview ? html : html.map((p) => (typeof p === 'string' ? neutralizeLive(p) : p));
    if (structural.size >= 2_000) structural.delete(structural.keys().next().value ?? key);
    structural.set(key, parts);
  }
  return parts;
}

export function sameFixed(a: FixedValue | undefined, b: FixedValue | undefined): boolean {
  return (
    a?.visible === b?.visible &&
    a?.list === b?.list &&
    a?.width === b?.width &&
    a?.height === b?.height &&
    a?.rich === b?.rich &&
    a?.asWritten === b?.asWritten
  );
}

export function structureOf(
  compiled: CompiledTemplate,
  resolved: ResolvedDraft,
  annotate: boolean,
  preview = false,
): Structure {
  const instances = resolved.instances.map((ri): StructureInstance => {
    const fixed = new Map<string, FixedValue>();
    for (const rs of ri.slots.values()) {
      const value = fixedValueOf(compiled, rs, preview);
      if (value) fixed.set(rs.slot.def.id, value);
    }
    return { instanceId: ri.instance.instanceId, module: ri.module, fixed };
  });
  const base = {
    compiled,
    lang: resolved.locale,
    dir: directionOf(resolved.locale),
    annotate,
    hasSubject: resolved.subject.value !== '',
    hasPreheader: resolved.preheader.value !== '',
    instances,
  };
  return { ...base, key: structureKey(base) };
}

function structureKey(s: Omit<Structure, 'key'>): string {
  // One string hashed once (core's SHA-256 is pure JavaScript, so browsers compute the same keys).
  let text = `${s.compiled.hash}|${s.lang}|${s.dir}|${String(s.annotate)}|${String(s.hasSubject)}|${String(s.hasPreheader)}`;
  for (const i of s.instances) {
    text += `\n${s.annotate ? i.instanceId : ''}:${i.module.def.id}`;
    for (const [slotId, f] of i.fixed) {
      text += `;${slotId}=${f.visible === undefined ? '' : String(f.visible)},${f.list ?? ''},${f.width ?? ''},${f.height ?? ''},${f.asWritten ?? ''}`;
      // Structural rich text is keyed by its content; its tokens by their source offsets.
      if (f.rich)
        for (const p of f.rich) text += typeof p === 'string' ? p : `\u0000${p.token.start}:${p.token.end}\u0000`;
    }
  }
  let key = structureKeys.get(text);
  if (key === undefined) {
    key = sha256Hex(text);
    if (structureKeys.size >= 1024) structureKeys.delete(structureKeys.keys().next().value ?? text);
    structureKeys.set(text, key);
  }
  return key;
}

/** Structure keys by the text they hash: every render of a cached structure computes the same one. */
const structureKeys = new Map<string, string>();
