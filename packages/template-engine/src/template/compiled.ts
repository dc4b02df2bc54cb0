import { createHash } from 'node:crypto';
import {
  HubspokeError,
  TemplateSchema,
  canonicalJson,
  safeParse,
  type ModuleDef,
  type SlotDef,
  type Template,
} from '@hubspoke/core';
import { bindSlot, type SlotBinding } from './bindings.js';
import { attr, parseSourceTree, walkElements, type SourceElement } from './source-tree.js';

export interface CompiledSlot {
  def: SlotDef;
  binding: SlotBinding;
}

export interface CompiledModule {
  def: ModuleDef;
  /** Declaration index, for ordering rules. */
  index: number;
  root: SourceElement;
  source: string;
  slots: Map<string, CompiledSlot>;
  /** Slot bindings by element, for emitting MJML. */
  byElement: Map<SourceElement, CompiledSlot>;
}

/** A template checked and prepared once: module sources parsed, slots bound to their elements. */
export interface CompiledTemplate {
  template: Template;
  /** SHA-256 of the template's canonical JSON: part of every skeleton cache key. */
  hash: string;
  modules: Map<string, CompiledModule>;
  /**
   * mjml rewrites the whole HTML when the head inlines CSS (`mj-style inline="inline"`) or sets
   * `mj-html-attributes`; rich text must then go through mjml, so it is part of the structure.
   */
  richTextIsStructural: boolean;
}

const compiledByObject = new WeakMap<object, CompiledTemplate>();

/**
 * Validates a template (core `TemplateSchema`) and prepares it for rendering. Templates are
 * treated as immutable: the result is cached per object. Throws `E_VALIDATION` naming the path
 * of the bad value, including slots declared in `slots` but not bound in the module's MJML.
 */
export function compileTemplate(input: unknown): CompiledTemplate {
  if (typeof input === 'object' && input !== null) {
    const cached = compiledByObject.get(input);
    if (cached) return cached;
  }
  const parsed = safeParse(TemplateSchema, input, 'template');
  if (!parsed.ok) throw parsed.error;
  const template = parsed.value;
  const modules = new Map<string, CompiledModule>();
  template.modules.forEach((def, index) => {
    if (modules.has(def.id)) throw invalid(`template.modules[${index}].id`, `module id "${def.id}" is declared twice`);
    modules.set(def.id, compileModule(def, index));
  });
  const compiled: CompiledTemplate = {
    template,
    hash: createHash('sha256').update(canonicalJson(template)).digest('hex'),
    modules,
    richTextIsStructural:
      /<mj-style[^>]*\binline\s*=\s*["']?inline/i.test(template.head) || template.head.includes('mj-html-attributes'),
  };
  if (typeof input === 'object' && input !== null) compiledByObject.set(input, compiled);
  compiledByObject.set(template, compiled);
  return compiled;
}

function invalid(path: string, message: string): HubspokeError {
  return new HubspokeError('E_VALIDATION', `Invalid template: ${path}: ${message}`, { path });
}

function compileModule(def: ModuleDef, index: number): CompiledModule {
  const path = `template.modules[${index}]`;
  const tree = parseSourceTree(def.mjml);
  const roots = tree.nodes.filter((n): n is SourceElement => n.kind === 'element');
  const root = roots[0];
  if (tree.issues.length > 0 || roots.length !== 1 || !root) {
    throw invalid(
      `${path}.mjml`,
      tree.issues[0]?.message ?? 'expected exactly one root element (mj-section, mj-wrapper, mj-hero or mj-raw)',
    );
  }
  if (!['mj-section', 'mj-wrapper', 'mj-hero', 'mj-raw'].includes(root.name)) {
    throw invalid(
      `${path}.mjml`,
      `a module's root must be mj-section, mj-wrapper, mj-hero or mj-raw, got <${root.name}>`,
    );
  }
  const defs = new Map(def.slots.map((s) => [s.id, s]));
  const slots = new Map<string, CompiledSlot>();
  const byElement = new Map<SourceElement, CompiledSlot>();
  for (const element of walkElements([root])) {
    const slotId = attr(element, 'hs-slot');
    if (slotId === undefined) continue;
    const slotDef = defs.get(slotId);
    if (!slotDef) throw invalid(`${path}.mjml`, `hs-slot="${slotId}" has no entry in slots`);
    const kind = attr(element, 'hs-kind');
    if (kind !== undefined && kind !== slotDef.kind)
      throw invalid(`${path}.slots`, `slot "${slotId}" is ${slotDef.kind} in slots but hs-kind="${kind}" in the MJML`);
    if (slots.has(slotId)) throw invalid(`${path}.mjml`, `hs-slot="${slotId}" appears twice`);
    const binding = bindSlot(element, slotId, slotDef.kind);
    if (typeof binding === 'string') throw invalid(`${path}.mjml`, binding);
    const compiled = { def: slotDef, binding };
    slots.set(slotId, compiled);
    byElement.set(element, compiled);
  }
  for (const s of def.slots) {
    if (!slots.has(s.id))
      throw invalid(`${path}.slots`, `slot "${s.id}" is not declared with hs-slot in the module's MJML`);
  }
  return { def, index, root, source: def.mjml, slots, byElement };
}
