import { escapeHtml } from '../personalization/escape.js';
import type { CompiledSlot } from '../template/compiled.js';
import { quote } from '../template/parse-template.js';
import { attr, type SourceElement, type SourceNode } from '../template/source-tree.js';
import type { Structure, StructureInstance } from './structure.js';
import type { TokenPart } from './values.js';

/** A place in the output that a value fills. */
export type HoleRef =
  | {
      kind: 'slot';
      index: number;
      slotId: string;
      property: 'text' | 'src' | 'alt' | 'href' | 'color';
      /** For `color`: the attribute the hole is in (each keeps its own written default). */
      attr?: string;
    }
  | { kind: 'field'; field: 'subject' | 'preheader' }
  | { kind: 'token'; index: number; slotId: string; part: TokenPart };

/** Returns what goes into a hole: a placeholder (skeleton) or the value itself (full document). */
export type HoleWriter = (ref: HoleRef) => string;

function hasHsAttribute(e: SourceElement): boolean {
  return e.attrs.some((a) => a.name.startsWith('hs-'));
}

const untouched = new WeakMap<SourceElement, boolean>();

/** True when nothing inside the element is declared with hs-*: it can be copied verbatim. */
function isUntouched(e: SourceElement): boolean {
  let known = untouched.get(e);
  if (known === undefined) {
    known = !hasHsAttribute(e) && e.children.every((c) => c.kind === 'text' || isUntouched(c));
    untouched.set(e, known);
  }
  return known;
}

/**
 * Emits the MJML document for a structure. Slot values come from `hole`, so the same emitter
 * produces the skeleton (placeholders) and the full document (values) that skeleton filling must
 * equal.
 */
export function emitMjml(structure: Structure, hole: HoleWriter): string {
  const { template } = structure.compiled;
  const annotations: string[] = [];
  let body = '';
  structure.instances.forEach((instance, index) => {
    body += emitNodes(instance.module.nodes, { instance, index, hole, structure, annotations });
  });
  const bodyAttrs = Object.entries(template.bodyAttributes)
    .map(([name, value]) => ` ${name}=${quote(value)}`)
    .join('');
  const title = structure.hasSubject ? `<mj-title>${hole({ kind: 'field', field: 'subject' })}</mj-title>` : '';
  const preview = structure.hasPreheader
    ? `<mj-preview>${hole({ kind: 'field', field: 'preheader' })}</mj-preview>`
    : '';
  const htmlAttributes =
    annotations.length > 0 ? `<mj-html-attributes>${annotations.join('')}</mj-html-attributes>` : '';
  return `<mjml lang="${structure.lang}" dir="${structure.dir}"><mj-head>${title}${preview}${template.head}${htmlAttributes}</mj-head><mj-body${bodyAttrs}>${body}</mj-body></mjml>`;
}

interface EmitState {
  instance: StructureInstance;
  index: number;
  hole: HoleWriter;
  structure: Structure;
  annotations: string[];
}

function source(state: EmitState): string {
  return state.instance.module.source;
}

function emitNodes(nodes: SourceNode[], state: EmitState): string {
  let out = '';
  for (const node of nodes)
    out += node.kind === 'text' ? source(state).slice(node.start, node.end) : emitElement(node, state);
  return out;
}

function emitElement(e: SourceElement, state: EmitState): string {
  const slot = state.instance.module.byElement.get(e);
  const fixed = slot ? state.instance.fixed.get(slot.def.id) : undefined;
  if (fixed?.visible === false) return '';
  if (!slot && isUntouched(e)) return source(state).slice(e.start, e.end);

  const attrs = new Map<string, string>();
  for (const a of e.attrs) if (!a.name.startsWith('hs-')) attrs.set(a.name, a.value);
  let content: string | undefined;
  if (slot) {
    content = applySlot(slot, attrs, state);
    if (state.structure.annotate) annotate(e, slot, attrs, state);
  }
  if (e.inEnding) {
    // HTML inside an ending tag reaches the output as written: keep its tags' text, change only
    // the hs-* attributes and the attributes a slot fills.
    const text = source(state);
    const open = rewriteOpenTag(text.slice(e.start, e.openEnd), attrs);
    if (content === undefined) {
      if (e.end === e.openEnd) return open;
      content = emitNodes(e.children, state);
    }
    return `${open}${content}${e.closeStart < e.end ? text.slice(e.closeStart, e.end) : ''}`;
  }
  const open = `<${e.name}${[...attrs].map(([n, v]) => ` ${n}=${quote(v)}`).join('')}`;
  if (content === undefined) {
    if (e.selfClosing || e.end === e.openEnd) return `${open}${e.selfClosing ? ' />' : '>'}`;
    content = emitNodes(e.children, state);
  }
  return `${open}>${content}</${e.name}>`;
}

const ATTRIBUTE = /(\s+)([^\s"'<>/=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s>"']+))?/gy;

/**
 * An opening tag as written, with hs-* attributes removed and the attributes whose value `attrs`
 * changes (or adds) written anew; every other attribute keeps its quotes, spacing and valueless form.
 */
export function rewriteOpenTag(tag: string, attrs: ReadonlyMap<string, string>): string {
  const name = /^<[^\s/>]+/.exec(tag)?.[0] ?? '';
  let out = name;
  let at = name.length;
  const seen = new Set<string>();
  ATTRIBUTE.lastIndex = at;
  for (let m = ATTRIBUTE.exec(tag); m; m = ATTRIBUTE.exec(tag)) {
    at = ATTRIBUTE.lastIndex;
    const attr = m[2] ?? '';
    const value = attrs.get(attr);
    if (attr.startsWith('hs-') || value === undefined || seen.has(attr)) continue;
    seen.add(attr);
    const written = m[4] === undefined ? '' : m[4].replace(/^(["'])([\s\S]*)\1$/, '$2');
    out += value === written ? m[0] : `${m[1] ?? ' '}${attr}=${quote(value)}`;
  }
  for (const [attr, value] of attrs) if (!seen.has(attr)) out += ` ${attr}=${quote(value)}`;
  return out + tag.slice(at);
}

/** Writes a slot's attributes; returns its content when the slot replaces the element's content. */
function applySlot(slot: CompiledSlot, attrs: Map<string, string>, state: EmitState): string | undefined {
  const { binding, def } = slot;
  const fixed = state.instance.fixed.get(def.id);
  const ref = (property: 'text' | 'src' | 'alt' | 'href' | 'color', attr?: string) =>
    state.hole({ kind: 'slot', index: state.index, slotId: def.id, property, ...(attr !== undefined && { attr }) });
  const asWritten = fixed?.asWritten?.split(',') ?? [];
  const bound = (name: string | undefined): name is string => name !== undefined && !asWritten.includes(name);
  if (bound(binding.src)) attrs.set(binding.src, ref('src'));
  if (bound(binding.alt)) attrs.set(binding.alt, ref('alt'));
  if (binding.size) {
    const unit = binding.size.px ? 'px' : '';
    if (fixed?.width !== undefined) attrs.set(binding.size.width, `${fixed.width}${unit}`);
    if (fixed?.height !== undefined) attrs.set(binding.size.height, `${fixed.height}${unit}`);
  }
  if (bound(binding.href)) attrs.set(binding.href, ref('href'));
  for (const a of binding.attrs) attrs.set(a, def.kind === 'color' ? ref('color', a) : escapeHtml(fixed?.list ?? ''));
  if (!binding.content) return undefined;
  if (def.kind === 'list') return escapeHtml(fixed?.list ?? '');
  if (fixed?.rich)
    return fixed.rich
      .map((p) =>
        typeof p === 'string' ? p : state.hole({ kind: 'token', index: state.index, slotId: def.id, part: p }),
      )
      .join('');
  return ref('text');
}

/** Marks a slot's element for the preview studio: `data-hs-slot="instance/slot"`. */
function annotate(e: SourceElement, slot: CompiledSlot, attrs: Map<string, string>, state: EmitState): void {
  const label = escapeHtml(`${state.instance.instanceId}/${slot.def.id}`);
  if (!e.name.startsWith('mj-')) {
    attrs.set('data-hs-slot', label);
    return;
  }
  // mj-* components take no arbitrary attributes: tag them with a class and let mjml's own
  // mj-html-attributes add the data attribute to the element that class lands on.
  const cls = `hs-slot-${state.index}-${slot.def.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const existing = attrs.get('css-class');
  attrs.set('css-class', existing ? `${existing} ${cls}` : cls);
  state.annotations.push(
    `<mj-selector path=".${cls}"><mj-html-attribute name="data-hs-slot">${label}</mj-html-attribute></mj-selector>`,
  );
}

/**
 * Emits the reading content of one module instance (text, buttons, image alt text, links,
 * tables) as small HTML for html-to-text: the plain-text part is built per instance, without
 * layout tables or the preheader.
 */
export function emitTextView(structure: Structure, index: number, hole: HoleWriter): string {
  const instance = structure.instances[index];
  if (!instance) return '';
  const state = { instance, index, hole, structure, annotations: [] };
  let out = '';
  for (const node of instance.module.nodes) if (node.kind === 'element') out += textOf(node, state);
  return `<div>${out}</div>`;
}

function textOf(e: SourceElement, state: EmitState): string {
  const slot = state.instance.module.byElement.get(e);
  if (slot && state.instance.fixed.get(slot.def.id)?.visible === false) return '';
  switch (e.name) {
    case 'mj-text':
    case 'mj-raw':
    case 'mj-accordion-title':
    case 'mj-accordion-text':
      return `<div>${innerHtml(e, slot, state)}</div>`;
    case 'mj-table':
      return `<table>${innerHtml(e, slot, state)}</table>`;
    case 'mj-button':
    case 'mj-navbar-link':
    case 'mj-social-element': {
      const inner = innerHtml(e, slot, state);
      if (inner.trim() === '') return '';
      const href = slot?.binding.href !== undefined ? slotRef(state, slot, 'href') : attr(e, 'href');
      return href === undefined ? `<p>${inner}</p>` : `<p><a href="${href}">${inner}</a></p>`;
    }
    case 'mj-image':
    case 'mj-carousel-image': {
      const altAsWritten =
        slot?.binding.alt !== undefined &&
        state.instance.fixed.get(slot.def.id)?.asWritten?.split(',').includes(slot.binding.alt);
      const alt =
        slot?.binding.alt !== undefined && altAsWritten !== true ? slotRef(state, slot, 'alt') : (attr(e, 'alt') ?? '');
      return `<p><img alt="${alt}"></p>`;
    }
    case 'mj-divider':
      return '<hr>';
    default:
      return e.children.map((c) => (c.kind === 'element' ? textOf(c, state) : '')).join('');
  }
}

function slotRef(state: EmitState, slot: CompiledSlot, property: 'text' | 'alt' | 'href'): string {
  return state.hole({ kind: 'slot', index: state.index, slotId: slot.def.id, property });
}

/** The HTML content of an ending tag (or HTML element inside one), slots filled. */
function innerHtml(e: SourceElement, slot: CompiledSlot | undefined, state: EmitState): string {
  if (slot?.binding.content) {
    const fixed = state.instance.fixed.get(slot.def.id);
    if (slot.def.kind === 'list') return escapeHtml(fixed?.list ?? '');
    if (fixed?.rich)
      return fixed.rich
        .map((p) =>
          typeof p === 'string' ? p : state.hole({ kind: 'token', index: state.index, slotId: slot.def.id, part: p }),
        )
        .join('');
    return slotRef(state, slot, 'text');
  }
  let out = '';
  for (const c of e.children) {
    if (c.kind === 'text') {
      out += source(state).slice(c.start, c.end);
      continue;
    }
    const childSlot = state.instance.module.byElement.get(c);
    if (childSlot && state.instance.fixed.get(childSlot.def.id)?.visible === false) continue;
    const attrs = new Map<string, string>();
    for (const a of c.attrs) if (!a.name.startsWith('hs-')) attrs.set(a.name, a.value);
    if (childSlot?.binding.href !== undefined) attrs.set('href', slotRef(state, childSlot, 'href'));
    if (childSlot?.binding.alt !== undefined) attrs.set('alt', slotRef(state, childSlot, 'alt'));
    const open = `<${c.name}${[...attrs].map(([n, v]) => ` ${n}=${quote(v)}`).join('')}>`;
    out += c.end === c.openEnd ? open : `${open}${innerHtml(c, childSlot, state)}</${c.name}>`;
  }
  return out;
}
