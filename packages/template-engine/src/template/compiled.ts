import {
  HubspokeError,
  sha256Hex,
  TemplateSchema,
  canonicalJson,
  safeParse,
  type ModuleDef,
  type SlotDef,
  type Template,
} from '@hubspoke/core';
import { decodeValue, normalizeText } from './attributes.js';
import { bindSlot, type SlotBinding } from './bindings.js';
import { attr, isGlue, parseSourceTree, walkElements, type SourceElement, type SourceNode } from './source-tree.js';

export interface CompiledSlot {
  def: SlotDef;
  binding: SlotBinding;
  /**
   * The default as the hub wrote it: the element's content (trimmed, as mjml trims an mj-*
   * component's) and its attribute values, entities kept. An untouched slot renders these.
   */
  raw: { content: string; attrs: Readonly<Record<string, string>> };
  /** Properties whose `raw` form still says what `def.default` says (a template built in code may differ). */
  rawMatches: ReadonlySet<string>;
}

export interface CompiledModule {
  def: ModuleDef;
  /** Declaration index, for ordering rules. */
  index: number;
  /** The module's element (mj-section, mj-wrapper, mj-hero or mj-raw). */
  root: SourceElement;
  /** Everything the module's MJML holds at its top level: the root plus comments and mj-raw glue around it. */
  nodes: SourceNode[];
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
  /** The subject (mj-title) and preheader (mj-preview) defaults as written in `template.source`. */
  rawFields: { subject?: string; preheader?: string };
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
    hash: sha256Hex(canonicalJson(template)),
    modules,
    richTextIsStructural:
      /<mj-style[^>]*\binline\s*=\s*["']?inline/i.test(template.head) || template.head.includes('mj-html-attributes'),
    rawFields: rawFields(template),
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
  const elements = tree.nodes.filter((n): n is SourceElement => n.kind === 'element');
  const error = tree.issues.find((i) => i.severity === 'error');
  const root = moduleRoot(elements);
  if (error || !root) {
    throw invalid(
      `${path}.mjml`,
      error?.message ??
        'expected exactly one root element (mj-section, mj-wrapper, mj-hero or mj-raw), with only comments and mj-raw around it',
    );
  }
  if (!['mj-section', 'mj-wrapper', 'mj-hero', 'mj-raw'].includes(root.name)) {
    throw invalid(
      `${path}.mjml`,
      `a module's root must be mj-section, mj-wrapper, mj-hero or mj-raw, got <${root.name}>`,
    );
  }
  for (const e of elements) {
    if (e !== root && !isGlue(e))
      throw invalid(`${path}.mjml`, `only comments and mj-raw may stand beside the module's root, got <${e.name}>`);
  }
  const defs = new Map(def.slots.map((s) => [s.id, s]));
  const slots = new Map<string, CompiledSlot>();
  const byElement = new Map<SourceElement, CompiledSlot>();
  for (const element of walkElements(elements)) {
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
    const content = def.mjml.slice(element.openEnd, element.closeStart);
    const attrs = Object.fromEntries(
      element.attrs.filter((a) => !a.name.startsWith('hs-')).map((a) => [a.name, a.value]),
    );
    const raw = { content: element.name.startsWith('mj-') ? content.trim() : content, attrs };
    const compiled = { def: slotDef, binding, raw, rawMatches: rawMatches(slotDef, binding, raw) };
    slots.set(slotId, compiled);
    byElement.set(element, compiled);
  }
  for (const s of def.slots) {
    if (!slots.has(s.id))
      throw invalid(`${path}.slots`, `slot "${s.id}" is not declared with hs-slot in the module's MJML`);
  }
  return { def, index, root, nodes: tree.nodes, source: def.mjml, slots, byElement };
}

/** The module's own element: the only one, else the one marked hs-module, else the only one that is not glue. */
function moduleRoot(elements: SourceElement[]): SourceElement | undefined {
  if (elements.length === 1) return elements[0];
  const marked = elements.filter((e) => attr(e, 'hs-module') !== undefined);
  if (marked.length > 0) return marked.length === 1 ? marked[0] : undefined;
  const own = elements.filter((e) => !isGlue(e));
  return own.length === 1 ? own[0] : undefined;
}

/**
 * The subject and preheader as written in the template's MJML (entities, quotes), when the source
 * is kept and still matches the declared defaults; an untouched draft renders them as written.
 */
function rawFields(template: Template): CompiledTemplate['rawFields'] {
  const out: CompiledTemplate['rawFields'] = {};
  if (template.source === undefined) return out;
  const root = parseSourceTree(template.source).nodes.find(
    (n): n is SourceElement => n.kind === 'element' && n.name === 'mjml',
  );
  const head = root?.children.find((n): n is SourceElement => n.kind === 'element' && n.name === 'mj-head');
  for (const e of head?.children ?? []) {
    if (e.kind !== 'element') continue;
    const field = e.name === 'mj-title' ? 'subject' : e.name === 'mj-preview' ? 'preheader' : undefined;
    if (!field) continue;
    const raw = template.source.slice(e.openEnd, e.closeStart).trim();
    if (normalizeText(raw) === template[field].default) out[field] = raw;
  }
  return out;
}

function rawMatches(def: SlotDef, binding: SlotBinding, raw: CompiledSlot['raw']): Set<string> {
  const out = new Set<string>();
  const text = normalizeText(raw.content);
  const attr = (name: string | undefined) => (name === undefined ? undefined : raw.attrs[name]);
  const same = (property: string, written: string | undefined, declared: string | undefined) => {
    if ((written === undefined ? undefined : decodeValue(written)) === declared) out.add(property);
  };
  switch (def.kind) {
    case 'text':
      if (binding.content && text === (def.default ?? '')) out.add('text');
      break;
    case 'richText':
      if (binding.content && raw.content.trim() === (def.default ?? '')) out.add('text');
      break;
    case 'link':
      if (binding.content && text === (def.default?.text ?? '')) out.add('text');
      same('href', attr(binding.href) ?? '', def.default?.href ?? '');
      break;
    case 'image':
      same('src', attr(binding.src), def.default?.src);
      same('alt', attr(binding.alt), def.default?.alt);
      break;
    case 'color':
      for (const a of binding.attrs) if (attr(a)?.toLowerCase() === def.default?.toLowerCase()) out.add(`color:${a}`);
      break;
    case 'boolean':
    case 'list':
      break;
  }
  return out;
}
