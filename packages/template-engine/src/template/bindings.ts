import type { SlotKind } from '@hubspoke/core';
import { parseList } from './attributes.js';
import { attr, childElements, type SourceElement } from './source-tree.js';

/** Where a slot's value goes in its element. */
export interface SlotBinding {
  slotId: string;
  kind: SlotKind;
  element: SourceElement;
  /** The value (or the link text) replaces the element's content. */
  content: boolean;
  src?: string;
  alt?: string;
  href?: string;
  /** Size attributes and whether they carry a `px` unit (mj-image) or not (`<img>`). */
  size?: { width: string; height: string; px: boolean };
  /** Attributes a colour or list value is written to. */
  attrs: string[];
}

/** mj-* ending tags whose content is text the reader sees. */
const TEXT_COMPONENTS = new Set([
  'mj-text',
  'mj-button',
  'mj-navbar-link',
  'mj-social-element',
  'mj-accordion-title',
  'mj-accordion-text',
]);
const RICH_COMPONENTS = new Set(['mj-text', 'mj-accordion-text', 'mj-raw']);
const LINK_COMPONENTS = new Set(['mj-button', 'mj-navbar-link', 'mj-social-element']);
const IMAGE_SRC: Record<string, string> = {
  'mj-image': 'src',
  'mj-carousel-image': 'src',
  'mj-social-element': 'src',
  img: 'src',
  'mj-hero': 'background-url',
  'mj-section': 'background-url',
  'mj-wrapper': 'background-url',
};
const IMAGE_ALT = new Set(['mj-image', 'mj-carousel-image', 'mj-social-element', 'img']);
const VOID_HTML = new Set([
  'br',
  'img',
  'hr',
  'input',
  'meta',
  'link',
  'area',
  'base',
  'col',
  'embed',
  'param',
  'source',
  'track',
  'wbr',
]);

function holdsText(element: SourceElement): boolean {
  return (
    TEXT_COMPONENTS.has(element.name) ||
    (element.inEnding && !VOID_HTML.has(element.name) && !element.name.startsWith('mj-'))
  );
}

/** The binding of a slot of `kind` on `element`, or why that element cannot hold it. */
export function bindSlot(element: SourceElement, slotId: string, kind: SlotKind): SlotBinding | string {
  const base: SlotBinding = { slotId, kind, element, content: false, attrs: [] };
  const name = element.name;
  const textOnly = () =>
    childElements(element).length === 0 ||
    `a ${kind} slot's element may only contain text (use hs-kind="richText" for markup)`;
  switch (kind) {
    case 'text': {
      if (!holdsText(element))
        return `<${name}> cannot hold a text slot: use mj-text, mj-button, mj-navbar-link, mj-social-element, mj-accordion-title/-text or an HTML element inside one`;
      const ok = textOnly();
      return ok === true ? { ...base, content: true } : ok;
    }
    case 'richText':
      if (!RICH_COMPONENTS.has(name) && !(element.inEnding && !VOID_HTML.has(name) && !name.startsWith('mj-'))) {
        return `<${name}> cannot hold a richText slot: use mj-text, mj-accordion-text, mj-raw or an HTML element inside one`;
      }
      return { ...base, content: true };
    case 'image': {
      const src = IMAGE_SRC[name];
      if (src === undefined || (name === 'img' && !element.inEnding))
        return `<${name}> cannot hold an image slot: use mj-image, mj-carousel-image, mj-social-element, <img>, or mj-hero/mj-section/mj-wrapper (background)`;
      const binding: SlotBinding = { ...base, src };
      if (IMAGE_ALT.has(name)) binding.alt = 'alt';
      if (name === 'mj-image' || name === 'img')
        binding.size = { width: 'width', height: 'height', px: name === 'mj-image' };
      return binding;
    }
    case 'link': {
      if (!LINK_COMPONENTS.has(name) && !(name === 'a' && element.inEnding))
        return `<${name}> cannot hold a link slot: use mj-button, mj-navbar-link, mj-social-element or <a>`;
      const ok = textOnly();
      return ok === true ? { ...base, content: true, href: 'href' } : ok;
    }
    case 'color': {
      const attrs = parseList(attr(element, 'hs-attr') ?? '');
      if (attrs.length === 0)
        return 'a color slot needs hs-attr naming the attribute(s) it sets, e.g. hs-attr="background-color"';
      return { ...base, attrs };
    }
    case 'boolean':
      return base;
    case 'list': {
      const attrs = parseList(attr(element, 'hs-attr') ?? '');
      if (attrs.length > 0) return { ...base, attrs };
      if (!holdsText(element))
        return `<${name}> cannot hold a list value as content: add hs-attr="…" to set an attribute instead`;
      const ok = textOnly();
      return ok === true ? { ...base, content: true } : ok;
    }
  }
}
