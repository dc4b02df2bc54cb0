import type { DeclarationRef } from '../types.js';
import type { CssDeclaration, SimpleSelector, StyleRule } from './css.js';

/** A `<style>` declaration that applies to an element, with where its colour is declared. */
export interface SheetDeclaration {
  readonly declaration: CssDeclaration;
  readonly ref: DeclarationRef | undefined;
}

/** What applies to one element: normal declarations, then `!important` ones, each in cascade order. */
export interface Matched {
  readonly normal: readonly SheetDeclaration[];
  readonly important: readonly SheetDeclaration[];
}

interface IndexedRule {
  readonly selector: SimpleSelector;
  readonly order: number;
  readonly declarations: readonly SheetDeclaration[];
}

/**
 * Declarations the walker computes with (colour, background, size, weight, and whether text
 * shows): the rest cannot change a finding. Every display, visibility and opacity value is kept,
 * as a later or more specific `display: block` shows what a `display: none` hid.
 */
const AFFECTS_TEXT = new Set([
  'color',
  'background',
  'background-color',
  'font-size',
  'font-weight',
  'display',
  'visibility',
  'opacity',
]);
const affectsText = ({ property }: CssDeclaration): boolean => AFFECTS_TEXT.has(property);

/**
 * The simple-selector rules of an email's `<style>` blocks, indexed by id, class or tag so an
 * element looks up only the rules that can match it. Empty (and free) for most emails, whose
 * styles are inline.
 */
export class StyleSheetIndex {
  private readonly rules = new Map<string, IndexedRule[]>();
  private count = 0;
  /** Results by tag, id and class attribute (nested, so no two combinations share a key): emails repeat the same few. */
  private readonly matches = new Map<string, Map<string | undefined, Map<string | undefined, Matched | undefined>>>();

  get isEmpty(): boolean {
    return this.rules.size === 0;
  }

  add(rules: readonly StyleRule[], refFor: (declaration: CssDeclaration) => DeclarationRef): void {
    this.matches.clear();
    for (const { selector, declarations } of rules) {
      const kept = declarations.filter(affectsText).map((declaration) => ({
        declaration,
        ref: declaration.property === 'color' ? refFor(declaration) : undefined,
      }));
      if (kept.length === 0) continue;
      const key =
        selector.id !== undefined
          ? `#${selector.id}`
          : selector.classes[0] !== undefined
            ? `.${selector.classes[0]}`
            : (selector.tag ?? '*');
      const list = this.rules.get(key) ?? [];
      list.push({ selector, order: this.count++, declarations: kept });
      this.rules.set(key, list);
    }
  }

  /**
   * The declarations that apply to an element, in cascade order: normal ones by specificity
   * then source order, and separately the `!important` ones (which beat inline styles).
   */
  match(tag: string, id: string | undefined, classAttribute: string | undefined): Matched | undefined {
    let byTag = this.matches.get(tag);
    if (byTag === undefined) {
      byTag = new Map();
      this.matches.set(tag, byTag);
    }
    let byId = byTag.get(id);
    if (byId === undefined) {
      byId = new Map();
      byTag.set(id, byId);
    }
    if (byId.has(classAttribute)) return byId.get(classAttribute);
    const found = this.find(tag, id, classAttribute);
    byId.set(classAttribute, found);
    return found;
  }

  private find(tag: string, id: string | undefined, classAttribute: string | undefined): Matched | undefined {
    const classes =
      classAttribute === undefined ? [] : [...new Set(classAttribute.split(/\s+/).filter((c) => c !== ''))];
    const keys = ['*', tag, ...classes.map((c) => `.${c}`), ...(id === undefined ? [] : [`#${id}`])];
    const matched: IndexedRule[] = [];
    for (const key of keys) {
      for (const rule of this.rules.get(key) ?? []) {
        const s = rule.selector;
        if (
          (s.tag === undefined || s.tag === tag) &&
          (s.id === undefined || s.id === id) &&
          s.classes.every((c) => classes.includes(c))
        )
          matched.push(rule);
      }
    }
    if (matched.length === 0) return undefined;
    matched.sort((a, b) => a.selector.specificity - b.selector.specificity || a.order - b.order);
    const all = matched.flatMap((rule) => rule.declarations);
    return {
      normal: all.filter((d) => d.declaration.important !== true),
      important: all.filter((d) => d.declaration.important === true),
    };
  }
}
