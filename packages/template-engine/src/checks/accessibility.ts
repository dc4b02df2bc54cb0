import {
  DraftSchema,
  RenderedEmailSchema,
  parse,
  type Diagnostic,
  type Draft,
  type ImageValue,
  type Location,
  type RenderedEmail,
  type Template,
} from '@hubspoke/core';
import { parse as parseColor, wcagContrast, type Color } from 'culori';
import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { diagnostic } from '../diagnostics.js';
import { resolveDraft } from '../draft/resolve.js';
import { compileTemplate } from '../template/compiled.js';
import { attr, lineColumn, walkElements } from '../template/source-tree.js';
import { HtmlIndex } from './html-index.js';

/**
 * Link texts that do not say where a link goes (Email Markup Consortium rule 10, WCAG 2.4.4),
 * in the languages the hub works in most; extend with `vagueLinkTexts`.
 */
export const VAGUE_LINK_TEXTS = [
  'click here',
  'here',
  'read more',
  'more',
  'learn more',
  'link',
  'this',
  'click',
  'hier',
  'hier klicken',
  'mehr',
  'weiterlesen',
  'ici',
  'cliquez ici',
  'en savoir plus',
  'aquí',
  'haga clic aquí',
  'más',
  'qui',
  'clicca qui',
];

export interface AccessibilityOptions {
  /** Extra vague link texts (lower case). */
  vagueLinkTexts?: string[];
  /** Minimum contrast for normal text; WCAG AA is 4.5 (3 for large text). */
  minContrast?: number;
}

/**
 * The Email Markup Consortium's accessibility rules for one rendered email: `lang` and `dir`,
 * layout tables with `role="presentation"`, an `h1`, a `<title>`, link text, contrast ≥ 4.5:1
 * (3:1 for large text) — checked on the HTML — and alt text, checked on the source (template and
 * draft), because mjml renders a missing alt as `alt=""`, which would hide it.
 */
export function checkAccessibility(
  template: Template,
  draft: Draft,
  emailInput: RenderedEmail,
  options: AccessibilityOptions = {},
): Diagnostic[] {
  const compiled = compileTemplate(template);
  const parsedDraft = parse(DraftSchema, draft, 'draft');
  const email = parse(RenderedEmailSchema, emailInput, 'email');
  const index = new HtmlIndex(email.html, email.slotSpans ?? []);
  const diagnostics: Diagnostic[] = [];
  const locale = email.locale;
  const add = (
    ruleId: string,
    severity: Diagnostic['severity'],
    message: string,
    location: Location,
    data?: Record<string, unknown>,
  ) => diagnostics.push(diagnostic(ruleId, severity, message, location, data));
  const at = (e: Element) => index.location(e.startIndex ?? 0, (e.endIndex ?? e.startIndex ?? 0) + 1, locale);

  const doc = parseDocument(email.html, { withStartIndices: true, withEndIndices: true });
  const all = DomUtils.getElementsByTagName(() => true, doc.children, true);
  const html = all.find((e) => e.name === 'html');
  const htmlLang = html?.attribs.lang;
  if (!html || htmlLang === undefined || htmlLang === '' || htmlLang === 'und')
    add(
      'a11y/html-lang',
      'warning',
      '<html> needs a lang attribute naming the language',
      html ? at(html) : { source: 'html', locale },
    );
  const body = all.find((e) => e.name === 'body');
  // Body children a reader meets (not the hidden preheader) need lang and dir (EMC rules 1 and 2).
  for (const child of (body?.children ?? []).filter(isTag)) {
    if (styleOf(child).get('display') === 'none') continue;
    if (child.attribs.lang === undefined || child.attribs.dir === undefined)
      add(
        'a11y/lang-dir',
        'warning',
        `<${child.name}> directly inside <body> needs lang and dir attributes`,
        at(child),
      );
  }
  const title = all.find((e) => e.name === 'title');
  if (!title || DomUtils.textContent(title).trim() === '')
    add('a11y/title', 'warning', 'The email needs a <title> (it is set from the subject)', {
      source: 'html',
      locale,
      field: 'subject',
    });
  if (!all.some((e) => e.name === 'h1'))
    add(
      'a11y/heading',
      'suggestion',
      'The email has no <h1>: give its main headline a heading (e.g. a text slot in an <h1>)',
      { source: 'html', locale },
    );

  for (const table of all.filter((e) => e.name === 'table')) {
    const role = table.attribs.role;
    if (role === 'presentation' || role === 'none') continue;
    const isData =
      DomUtils.findOne(
        (e) => e.name === 'th' || e.name === 'caption' || e.attribs.scope !== undefined,
        table.children,
        true,
      ) !== null;
    if (!isData)
      add(
        'a11y/layout-table',
        'warning',
        'A layout table needs role="presentation" (a data table needs <th> cells)',
        at(table),
      );
  }

  const vague = new Set([...VAGUE_LINK_TEXTS, ...(options.vagueLinkTexts ?? [])].map((t) => t.toLowerCase()));
  for (const link of all.filter((e) => e.name === 'a' && e.attribs.href !== undefined)) {
    const text = DomUtils.textContent(link).replace(/\s+/g, ' ').trim();
    const alts = DomUtils.getElementsByTagName('img', link.children, true).map((img) => (img.attribs.alt ?? '').trim());
    const label = (link.attribs['aria-label'] ?? link.attribs.title ?? '').trim();
    if (text === '' && alts.every((a) => a === '') && label === '') {
      add(
        'a11y/link-text',
        'warning',
        `A link to ${link.attribs.href} has no text: a linked image needs alt text`,
        at(link),
        { href: link.attribs.href },
      );
    } else if (vague.has(text.toLowerCase().replace(/[.!?…:»›>\s]+$/u, ''))) {
      add('a11y/link-purpose', 'warning', `"${text}" does not say where the link goes`, at(link), { text });
    }
  }

  checkContrast(doc.children, index, locale, options.minContrast ?? 4.5, diagnostics);
  checkAltOnSource(compiled, parsedDraft, locale, diagnostics);
  return diagnostics;
}

interface Ink {
  color: Color | undefined;
  background: Color | undefined;
  backgroundImage: boolean;
  fontPx: number;
  bold: boolean;
  hidden: boolean;
}

function styleOf(e: Element): Map<string, string> {
  const map = new Map<string, string>();
  for (const decl of (e.attribs.style ?? '').split(';')) {
    const i = decl.indexOf(':');
    if (i > 0)
      map.set(
        decl.slice(0, i).trim().toLowerCase(),
        decl
          .slice(i + 1)
          .replace(/!important/i, '')
          .trim(),
      );
  }
  return map;
}

function colorIn(value: string | undefined): Color | undefined {
  if (value === undefined) return undefined;
  for (const token of value.split(/\s+(?![^(]*\))/)) {
    if (token === 'transparent' || token === 'none') continue;
    const c = parseColor(token);
    if (c && (c.alpha === undefined || c.alpha >= 1)) return c;
  }
  return undefined;
}

const BOLD_TAGS = new Set(['b', 'strong', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'th']);
const SKIP = new Set(['style', 'script', 'title', 'head', 'noscript']);

function checkContrast(
  nodes: ChildNode[],
  index: HtmlIndex,
  locale: string,
  minimum: number,
  diagnostics: Diagnostic[],
): void {
  const reported = new Set<string>();
  const walk = (children: ChildNode[], ink: Ink) => {
    for (const node of children) {
      if (isTag(node)) {
        if (SKIP.has(node.name)) continue;
        const style = styleOf(node);
        const hidden = ink.hidden || style.get('display') === 'none' || node.attribs['aria-hidden'] === 'true';
        const background =
          colorIn(style.get('background-color')) ?? colorIn(style.get('background')) ?? colorIn(node.attribs.bgcolor);
        const size = /^([\d.]+)px$/.exec(style.get('font-size') ?? '')?.[1];
        const weight = style.get('font-weight');
        const image =
          /url\(/i.test(style.get('background') ?? '') ||
          style.has('background-image') ||
          node.attribs.background !== undefined;
        walk(node.children, {
          color:
            colorIn(style.get('color')) ??
            (node.name === 'font' ? colorIn(node.attribs.color) : undefined) ??
            ink.color,
          background: background ?? ink.background,
          // A background image under the text makes contrast unknowable, unless a solid colour covers it.
          backgroundImage: image || (background === undefined && ink.backgroundImage),
          fontPx: size === undefined ? ink.fontPx : Number(size),
          bold:
            weight === undefined ? ink.bold || BOLD_TAGS.has(node.name) : weight === 'bold' || Number(weight) >= 700,
          hidden,
        });
      } else if (isText(node) && !ink.hidden && !ink.backgroundImage && node.data.trim() !== '') {
        const fg = ink.color ?? parseColor('#000000');
        const bg = ink.background ?? parseColor('#ffffff');
        if (!fg || !bg) continue;
        const ratio = wcagContrast(fg, bg);
        const large = ink.fontPx >= 24 || (ink.fontPx >= 18.66 && ink.bold);
        const needed = large ? Math.min(3, minimum) : minimum;
        if (ratio >= needed) continue;
        const location = index.location(node.startIndex ?? 0, (node.endIndex ?? 0) + 1, locale);
        const key = `${JSON.stringify(fg)}|${JSON.stringify(bg)}|${location.instanceId ?? ''}|${location.slotId ?? ''}`;
        if (reported.has(key)) continue;
        reported.add(key);
        diagnostics.push(
          diagnostic(
            'a11y/contrast',
            'warning',
            `Text "${node.data.trim().slice(0, 40)}" has a contrast of ${ratio.toFixed(2)}:1 against its background; ${needed}:1 is needed`,
            location,
            { ratio: Math.round(ratio * 100) / 100, needed, large },
          ),
        );
      }
    }
  };
  walk(nodes, {
    color: undefined,
    background: undefined,
    backgroundImage: false,
    fontPx: 16,
    bold: false,
    hidden: false,
  });
}

/** mjml renders a missing alt as alt="", so alt text is checked where it is written. */
function checkAltOnSource(
  compiled: ReturnType<typeof compileTemplate>,
  draft: Draft,
  locale: string,
  diagnostics: Diagnostic[],
): void {
  const resolved = resolveDraft(compiled, draft, locale);
  const seenModules = new Set<string>();
  for (const { instance, module, slots } of resolved.instances) {
    for (const { slot, value } of slots.values()) {
      if (slot.def.kind !== 'image' || slot.binding.alt === undefined) continue;
      const alt = (value as ImageValue | undefined)?.alt;
      if (slot.def.requireAlt && (alt === undefined || alt.trim() === '')) {
        diagnostics.push(
          diagnostic('a11y/image-alt', 'error', `Image "${slot.def.id}" has no alt text`, {
            source: 'draft',
            locale,
            instanceId: instance.instanceId,
            moduleId: module.def.id,
            slotId: slot.def.id,
            property: 'alt',
          }),
        );
      }
    }
    if (seenModules.has(module.def.id)) continue;
    seenModules.add(module.def.id);
    for (const e of walkElements(module.nodes)) {
      if (
        !['mj-image', 'mj-carousel-image', 'img'].includes(e.name) ||
        attr(e, 'hs-slot') !== undefined ||
        attr(e, 'alt') !== undefined
      )
        continue;
      const { line, column } = lineColumn(module.source, e.start);
      const moduleLine = module.def.sourceLine ?? 1;
      diagnostics.push(
        diagnostic(
          'a11y/image-alt',
          'error',
          `<${e.name}> in module "${module.def.name}" has no alt attribute (use alt="" for a decorative image)`,
          {
            source: 'template',
            moduleId: module.def.id,
            line: moduleLine + line - 1,
            column,
          },
        ),
      );
    }
  }
}
