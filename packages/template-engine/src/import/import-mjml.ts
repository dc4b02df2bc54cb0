import {
  HubspokeError,
  LocaleSchema,
  type Diagnostic,
  type Location,
  type SlotKind,
  type Template,
} from '@hubspoke/core';
import { decodeHTML } from 'entities';
import { diagnostic } from '../diagnostics.js';
import { parseTokens } from '@hubspoke/core';
import { expandIncludes, type IncludeReader } from '../template/includes.js';
import { parseTemplate } from '../template/parse-template.js';
import {
  attr,
  childElements,
  isGlue,
  lineColumn,
  parseSourceTree,
  walkElements,
  type SourceElement,
  type SourceNode,
} from '../template/source-tree.js';

export interface ImportMjmlOptions {
  /** Template id; else from `file`'s name, else from the title. */
  id?: string;
  /** Template name; else the email's title, else the id. */
  name?: string;
  /** The email's path in the hub folder (`/`-separated): names the template, resolves includes, locates findings. */
  file?: string;
  /** Reads `mj-include` files inside the hub folder (`folderIncludes`); included content is inlined. */
  includes?: IncludeReader;
  /** The template's default locale when `<mjml lang>` does not give one (default `en`). */
  locale?: string;
}

/** One choice the importer made, for the hub to review. */
export interface ImportDecision {
  /** What it is about. */
  subject: 'template' | 'module' | 'slot' | 'kept' | 'glue' | 'include';
  /** What was decided, in words. */
  message: string;
  moduleId?: string;
  slotId?: string;
  /** Where, in the imported source as written. */
  line?: number;
  column?: number;
  file?: string;
}

export type ModuleRole = 'header' | 'hero' | 'content' | 'footer';

export interface ImportedModule {
  id: string;
  name: string;
  role: ModuleRole;
  /** Proposed pinned and locked (header- and footer-like modules). */
  pinned: boolean;
  slots: { id: string; kind: SlotKind; label: string }[];
}

export interface ImportMjmlResult {
  ok: boolean;
  /** The email as a hub template: the source as written plus hs-* declarations (includes inlined). */
  source: string;
  template?: Template;
  modules: ImportedModule[];
  decisions: ImportDecision[];
  /** What parseTemplate found in the imported source (errors mean the import did not succeed). */
  diagnostics: Diagnostic[];
}

interface Edit {
  at: number;
  /** Characters removed from `at`. */
  remove: number;
  text: string;
}

/** What a top-level block shows, for naming it and guessing its role. */
interface Summary {
  text: string;
  headings: string[];
  images: { alt: string; src: string; width: number | undefined; cssClass: string }[];
  buttons: string[];
  navbar: boolean;
  social: boolean;
  backgroundImage: boolean;
  /** Every link target in the block (buttons, images, links in text). */
  hrefs: string[];
  /** Every text is set at 12px or smaller: small print. */
  smallPrint: boolean;
}

const LEGAL =
  /unsubscrib|\bopt[- ]?out\b|\bpreferences\b|\bprivacy\b|all rights reserved|\bcopyright\b|you (are )?receiv(ed|ing) this|no longer wish|postal[ _]address|abmelden|désinscri|darse de baja|©|&copy;/i;
/** Merge syntax of the platforms, as an author pastes it into an email. */
const PLATFORM_SYNTAX: { re: RegExp; platform: string }[] = [
  { re: /\{\{\s*(?:lead|my|company|system|campaign|member|program)\.[^}]{1,80}\}\}/g, platform: 'Marketo' },
  { re: /%%[=[]?[^%\s][^%]{0,80}%%/g, platform: 'SFMC' },
  { re: /\{\{\s*\$\{[^}]{1,60}\}[^}]{0,60}\}\}/g, platform: 'Braze' },
  { re: /<span[^>]*\beloquaemail\b[^>]*>[^<]{0,80}<\/span>/gi, platform: 'Eloqua' },
  { re: /\*\|[A-Z0-9_:]{1,40}\|\*/g, platform: 'Mailchimp' },
];

/** Link targets that only legal footers carry. */
const LEGAL_HREF = /unsubscribe|opt-?out|abmeld|desinscri|preferences|email-settings|\*\|UNSUB\|\*/i;
const VIEW_ONLINE = /\b(view|read|see|open)\b.{0,20}\b(browser|online|web ?version)\b|\bweb version\b/i;

/**
 * Turns an MJML email into a governed hub template: every top-level section, wrapper or hero (and
 * mj-raw with visible content) becomes a module named from its content; text, buttons and images
 * become typed slots whose defaults are the original content; header- and footer-like modules are
 * proposed pinned and locked; comments and raw glue between blocks stay where they are. The
 * source is kept as written and only gains hs-* attributes, so the template's default draft
 * renders what mjml renders for the email. Never throws for content problems (they are
 * diagnostics); throws `E_VALIDATION` for bad options.
 */
export function importMjml(input: string, options: ImportMjmlOptions = {}): ImportMjmlResult {
  const raw: unknown = input;
  if (typeof raw !== 'string')
    throw new HubspokeError('E_VALIDATION', `source: expected MJML text, got ${raw === null ? 'null' : typeof raw}`, {
      path: 'source',
    });
  if (options.locale !== undefined && !LocaleSchema.safeParse(options.locale).success)
    throw new HubspokeError('E_VALIDATION', `options.locale: "${options.locale}" is not a locale such as en or de-AT`, {
      path: 'options.locale',
    });
  return new Importer(input, options).run();
}

class Importer {
  private readonly decisions: ImportDecision[] = [];
  private readonly edits: Edit[] = [];
  private readonly modules: ImportedModule[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly source: string;
  private readonly locate: (offset: number) => { file?: string; line: number; column: number };

  constructor(
    input: string,
    private readonly options: ImportMjmlOptions,
  ) {
    if (options.includes && input.includes('<mj-include')) {
      const expanded = expandIncludes(input, options.file, options.includes);
      this.source = expanded.source;
      this.locate = (offset) => {
        const at = expanded.locate(offset);
        return { ...(at.file !== undefined && { file: at.file }), line: at.line, column: at.column };
      };
      for (const issue of expanded.issues) {
        const { line, column } = expanded.position(issue.file, issue.start);
        const location: Location = { source: 'template', line, column };
        if (issue.file !== undefined) location.file = issue.file;
        this.diagnostics.push(diagnostic(issue.ruleId, 'error', issue.message, location));
      }
      for (const file of expanded.files)
        this.decide({ subject: 'include', message: `Inlined ${file}: the template is one self-contained file` });
    } else {
      this.source = input;
      this.locate = (offset) => ({
        ...(options.file !== undefined && { file: options.file }),
        ...lineColumn(input, offset),
      });
    }
  }

  run(): ImportMjmlResult {
    const tree = parseSourceTree(this.source);
    const root = tree.nodes.find((n): n is SourceElement => n.kind === 'element' && n.name === 'mjml');
    const body = root && childElements(root).find((e) => e.name === 'mj-body');
    if (!root || !body) return this.fail('Expected an <mjml> document with an <mj-body>');
    const declared = [...walkElements([root])].find((e) => e.attrs.some((a) => a.name.startsWith('hs-')));
    if (declared)
      return this.fail(
        `<${declared.name}> already declares ${declared.attrs.find((a) => a.name.startsWith('hs-'))?.name ?? 'hs-*'}: this is a hub template already (use parseTemplate)`,
        declared.start,
      );
    const head = childElements(root).find((e) => e.name === 'mj-head');
    const title = head && childElements(head).find((e) => e.name === 'mj-title');
    const titleText = title ? visible(this.source.slice(title.openEnd, title.closeStart)) : '';
    this.readRoot(root, titleText);
    if (!head || !title)
      this.decide({
        subject: 'template',
        message: 'The email has no <mj-title>: the subject has no default, so every draft must write one',
      });
    this.readBody(body);

    const source = applyEdits(this.source, this.edits);
    const parsed = parseTemplate(source, { ...(this.options.file !== undefined && { file: this.options.file }) });
    this.diagnostics.push(...parsed.diagnostics);
    return {
      ok: parsed.ok && !this.diagnostics.some((d) => d.severity === 'error'),
      source,
      ...(parsed.ok && { template: parsed.template }),
      modules: this.modules,
      decisions: this.decisions,
      diagnostics: this.diagnostics,
    };
  }

  private fail(message: string, at = 0): ImportMjmlResult {
    const { file, line, column } = this.locate(at);
    const location: Location = { source: 'template', line, column };
    if (file !== undefined) location.file = file;
    this.diagnostics.push(diagnostic('template/malformed', 'error', message, location));
    return { ok: false, source: this.source, modules: [], decisions: this.decisions, diagnostics: this.diagnostics };
  }

  private decide(d: ImportDecision, at?: number): void {
    if (at !== undefined) {
      const where = this.locate(at);
      d.line = where.line;
      d.column = where.column;
      if (where.file !== undefined) d.file = where.file;
    }
    this.decisions.push(d);
  }

  /** Adds attributes right after an element's name (the rest of the tag stays as written). */
  private declare(e: SourceElement, attrs: [string, string][]): void {
    const text = attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
    this.edits.push({ at: e.start + 1 + e.name.length, remove: 0, text });
  }

  private readRoot(root: SourceElement, title: string): void {
    const open = this.source.slice(root.start, root.openEnd);
    const attrs: [string, string][] = [];
    const id =
      this.options.id ??
      (this.options.file === undefined
        ? undefined
        : slug(
            this.options.file
              .split('/')
              .pop()
              ?.replace(/\.mjml$/i, '') ?? '',
          )) ??
      (title === '' ? undefined : slug(title));
    const templateId = id === undefined || id === '' ? 'imported-email' : id;
    attrs.push(['hs-id', templateId]);
    const name = this.options.name ?? (title === '' ? templateId : title.slice(0, 200));
    attrs.push(['hs-name', name]);
    const lang = attr(root, 'lang');
    const locale = lang !== undefined && LocaleSchema.safeParse(lang).success ? lang : (this.options.locale ?? 'en');
    attrs.push(['hs-locale', locale]);
    this.decide(
      {
        subject: 'template',
        message: `Template "${templateId}" ("${name}"), default locale ${locale}${lang === undefined ? ' (the email has no lang)' : ` (from lang="${lang}")`}`,
      },
      root.start,
    );
    // lang and dir come from the locale at render time; other root attributes are not kept.
    for (const { name } of root.attrs) {
      const m = new RegExp(`\\s+${name}\\s*=\\s*(?:"[^"]*"|'[^']*'|[^\\s>]+)`, 'i').exec(open);
      if (!m) continue;
      this.edits.push({ at: root.start + m.index, remove: m[0].length, text: '' });
      this.decide(
        {
          subject: 'template',
          message:
            name === 'lang' || name === 'dir'
              ? `Removed ${m[0].trim()} from <mjml>: each render sets lang and dir from its locale`
              : `Removed ${m[0].trim()} from <mjml>: a template keeps no other root attribute${name === 'owa' ? ' (Outlook.com/OWA then gets the mobile layout)' : ''}`,
        },
        root.start,
      );
    }
    this.declare(root, attrs);
  }

  private readBody(body: SourceElement): void {
    const blocks: { element: SourceElement; comment: string | undefined }[] = [];
    let comment: string | undefined;
    for (const node of body.children) {
      if (node.kind === 'text') {
        const text = this.source.slice(node.start, node.end).trim();
        const label = /^<!--\s*([^[<>][^<>]{0,60}?)\s*-->$/.exec(text)?.[1];
        if (label !== undefined) comment = label;
        if (text !== '')
          this.decide(
            { subject: 'glue', message: `Kept ${describeGlue(text)} between modules where it is` },
            node.start,
          );
        continue;
      }
      if (node.name === 'mj-raw' && isGlue(node) && visible(this.source.slice(node.openEnd, node.closeStart)) === '') {
        this.decide(
          {
            subject: 'glue',
            message: `Kept <mj-raw> with ${describeGlue(this.source.slice(node.openEnd, node.closeStart).trim())} where it is (it travels with the next module)`,
          },
          node.start,
        );
        continue;
      }
      blocks.push({ element: node, comment });
      comment = undefined;
    }
    if (blocks.length === 0) {
      this.diagnostics.push(
        diagnostic('template/malformed', 'error', '<mj-body> has no section, wrapper or hero to make a module of', {
          source: 'template',
          ...this.locate(body.start),
        }),
      );
      return;
    }
    const summarized = blocks.map((b) => ({ ...b, summary: this.summarize(b.element) }));
    const roles = assignRoles(summarized);
    const used = new Set<string>();
    summarized.forEach((block, i) => {
      this.readModule(block.element, block.summary, roles[i] ?? 'content', block.comment, used, i);
    });
  }

  private summarize(element: SourceElement): Summary {
    const summary: Summary = {
      text: '',
      headings: [],
      images: [],
      buttons: [],
      navbar: false,
      social: false,
      backgroundImage: false,
      hrefs: [],
      smallPrint: true,
    };
    let texts = 0;
    for (const e of walkElements([element])) {
      const href = attr(e, 'href');
      if (href !== undefined) summary.hrefs.push(href);
      if (e.inEnding) continue;
      if (attr(e, 'background-url') !== undefined) summary.backgroundImage = true;
      switch (e.name) {
        case 'mj-image':
          summary.images.push({
            alt: decodeHTML(attr(e, 'alt') ?? ''),
            src: attr(e, 'src') ?? '',
            width: pixels(attr(e, 'width')),
            cssClass: attr(e, 'css-class') ?? '',
          });
          break;
        case 'mj-button':
          summary.buttons.push(visible(this.content(e)));
          break;
        case 'mj-navbar':
          summary.navbar = true;
          break;
        case 'mj-social':
          summary.social = true;
          break;
        case 'mj-text':
        case 'mj-raw':
        case 'mj-accordion-title':
        case 'mj-accordion-text': {
          summary.text += ` ${visible(this.content(e))}`;
          if (e.name === 'mj-text') {
            texts += 1;
            if ((pixels(attr(e, 'font-size')) ?? 13) > 12) summary.smallPrint = false;
          }
          for (const h of walkElements(e.children))
            if (/^h[1-3]$/.test(h.name)) summary.headings.push(visible(this.source.slice(h.openEnd, h.closeStart)));
          if (summary.headings.length === 0 && e.name === 'mj-text' && (pixels(attr(e, 'font-size')) ?? 0) >= 24)
            summary.headings.push(visible(this.content(e)));
          break;
        }
        default:
          break;
      }
    }
    summary.text = summary.text.trim();
    if (texts === 0) summary.smallPrint = false;
    return summary;
  }

  private content(e: SourceElement): string {
    return this.source.slice(e.openEnd, e.closeStart);
  }

  private readModule(
    element: SourceElement,
    summary: Summary,
    role: ModuleRole,
    comment: string | undefined,
    used: Set<string>,
    index: number,
  ): void {
    if (!['mj-section', 'mj-wrapper', 'mj-hero', 'mj-raw'].includes(element.name)) {
      this.diagnostics.push(
        diagnostic(
          'template/malformed',
          'error',
          `<${element.name}> cannot stand directly in <mj-body>: expected mj-section, mj-wrapper, mj-hero or mj-raw`,
          { source: 'template', ...this.locate(element.start) },
        ),
      );
      return;
    }
    const label = firstWords(summary.headings[0] ?? comment ?? summary.text, 6);
    const words = slug(firstWords(comment ?? summary.headings[0] ?? summary.text, 3));
    const base =
      role === 'content'
        ? words !== undefined && !words.startsWith('s-')
          ? words
          : `section-${index + 1}`
        : role === 'footer' && summary.social && !legal(summary)
          ? 'social'
          : role;
    const id = unique(base, used);
    const roleName = { header: 'Header', hero: 'Hero', content: 'Section', footer: 'Footer' }[role];
    const name = label === '' ? roleName : `${roleName}: ${label}`;
    const pinned = role === 'header' || role === 'footer';
    const attrs: [string, string][] = [
      ['hs-module', id],
      ['hs-name', name],
    ];
    if (pinned)
      attrs.push(['hs-lock', 'locked'], ['hs-pinned', 'true'], ['hs-position', role === 'header' ? 'start' : 'end']);
    const module: ImportedModule = { id, name, role, pinned, slots: [] };
    this.modules.push(module);
    this.decide(
      {
        subject: 'module',
        moduleId: id,
        message: `<${element.name}> → module "${id}" ("${name}"), ${roleReason(role, summary)}${pinned ? '; proposed pinned and locked (the hub can unlock it)' : ''}`,
      },
      element.start,
    );
    const slotAttrs = this.readSlots(element, module);
    this.reportPlatformSyntax(element, id);
    const own = slotAttrs.get(element);
    this.declare(element, [...attrs, ...(own ?? [])]);
    for (const [e, a] of slotAttrs) if (e !== element) this.declare(e, a);
  }

  /**
   * Merge tags of a platform written into the email stay as written: shown as text in the preview,
   * made inert for every platform. The report says how to send them to their platform.
   */
  private reportPlatformSyntax(element: SourceElement, moduleId: string): void {
    const text = this.source.slice(element.start, element.end);
    const seen = new Set<string>();
    for (const { re, platform } of PLATFORM_SYNTAX) {
      for (const m of text.matchAll(re)) {
        if (seen.has(m[0]) || seen.size >= 8) continue;
        seen.add(m[0]);
        const hint =
          platform === 'Mailchimp'
            ? 'Mailchimp is not a dialect this engine renders for'
            : `to send it to ${platform}, wrap it in {% platform ${platform.toLowerCase()} %}…{% endplatform %}`;
        this.decide(
          {
            subject: 'kept',
            moduleId,
            message: `${m[0]} is ${platform} merge syntax: kept as written (shown in the preview, inert for every platform); ${hint}`,
          },
          element.start + m.index,
        );
      }
    }
  }

  /** Slots for the module's content, as attributes per element. */
  private readSlots(root: SourceElement, module: ImportedModule): Map<SourceElement, [string, string][]> {
    const out = new Map<SourceElement, [string, string][]>();
    const ids = new Set<string>();
    const add = (e: SourceElement, kind: SlotKind, base: string, label: string, extra: [string, string][] = []) => {
      const id = unique(base, ids);
      out.set(e, [...(out.get(e) ?? []), ['hs-slot', id], ['hs-kind', kind], ['hs-label', label], ...extra]);
      module.slots.push({ id, kind, label });
      this.decide(
        { subject: 'slot', moduleId: module.id, slotId: id, message: `<${e.name}> → ${kind} slot "${id}" (${label})` },
        e.start,
      );
    };
    const keep = (e: SourceElement, why: string) => {
      this.decide(
        { subject: 'kept', moduleId: module.id, message: `<${e.name}> is kept as part of the module's design: ${why}` },
        e.start,
      );
    };
    let headline = false;
    for (const e of walkElements([root])) {
      if (e.inEnding) continue;
      if (e !== root && e.name === 'mj-raw' && isGlue(e) && visible(this.content(e)) === '') continue;
      const background = attr(e, 'background-url');
      if (background !== undefined && ['mj-hero', 'mj-section', 'mj-wrapper'].includes(e.name))
        add(e, 'image', 'background', 'Background image');
      switch (e.name) {
        case 'mj-text':
        case 'mj-accordion-title':
        case 'mj-accordion-text':
        case 'mj-raw': {
          const content = this.content(e);
          if (visible(content) === '') break;
          const inner = onlyChild(e, this.source);
          const isHeading = inner !== undefined && /^h[1-6]$/.test(inner.name);
          const base = isHeading && !headline ? 'headline' : 'text';
          if (isHeading) headline = true;
          const label = `${isHeading ? 'Heading' : 'Text'}: ${firstWords(visible(content), 5)}`;
          const kind: SlotKind = liveSyntax(content)
            ? 'richText'
            : inner || childElements(e).length === 0
              ? 'text'
              : 'richText';
          if (e.name === 'mj-raw' && kind === 'text' && !inner) {
            add(e, 'richText', base, label);
          } else if (inner && kind === 'text') {
            if (inner.name === 'a' && attr(inner, 'href') !== undefined)
              add(inner, 'link', 'link', label, relativeLink(attr(inner, 'href')));
            else add(inner, 'text', base, label);
          } else if (kind === 'text' && e.name !== 'mj-raw') add(e, 'text', base, label);
          else if (e.name === 'mj-accordion-title')
            keep(e, 'its content has markup, which an accordion title cannot hold as rich text');
          else add(e, 'richText', base, label);
          break;
        }
        case 'mj-button':
        case 'mj-navbar-link': {
          const text = visible(this.content(e));
          if (childElements(e).length > 0 || liveSyntax(this.content(e))) {
            keep(e, 'its content holds markup or platform syntax, which a link slot cannot hold');
            break;
          }
          const kind = attr(e, 'href') === undefined ? 'text' : 'link';
          add(
            e,
            kind,
            e.name === 'mj-button' ? 'cta' : 'nav',
            `${e.name === 'mj-button' ? 'Button' : 'Menu link'}: ${firstWords(text, 5)}`,
            kind === 'link' ? relativeLink(attr(e, 'href')) : [],
          );
          break;
        }
        case 'mj-social-element': {
          const text = visible(this.content(e));
          if (
            text === '' ||
            attr(e, 'href') === undefined ||
            childElements(e).length > 0 ||
            liveSyntax(this.content(e))
          )
            keep(e, 'an icon without text (or without href) is part of the design');
          else add(e, 'link', slug(`social ${attr(e, 'name') ?? ''}`) ?? 'social', `Social link: ${text}`);
          break;
        }
        case 'mj-image':
        case 'mj-carousel-image': {
          const alt = decodeHTML(attr(e, 'alt') ?? '');
          const logo =
            module.role === 'header' && /logo/i.test(`${alt} ${attr(e, 'src') ?? ''} ${attr(e, 'css-class') ?? ''}`);
          add(e, 'image', logo ? 'logo' : 'image', `Image${alt === '' ? '' : `: ${firstWords(alt, 5)}`}`);
          break;
        }
        case 'mj-table':
          keep(e, 'tables stay as the hub wrote them');
          break;
        default:
          break;
      }
    }
    return out;
  }
}

/** Header-like blocks from the start, footer-like blocks from the end, the first big block after the header as the hero. */
function assignRoles(blocks: { element: SourceElement; summary: Summary }[]): ModuleRole[] {
  const roles: ModuleRole[] = blocks.map(() => 'content');
  const n = blocks.length;
  let start = 0;
  for (let b = blocks[start]; b && start < Math.min(3, n - 1) && headerLike(b.element, b.summary); b = blocks[start]) {
    roles[start] = 'header';
    start += 1;
  }
  let end = n - 1;
  for (let b = blocks[end]; b && end > start && n - end <= 3 && footerLike(b.summary, end === n - 1); b = blocks[end]) {
    roles[end] = 'footer';
    end -= 1;
  }
  // The hero: the first block after the header, when it is big (a hero, a background, a wide image).
  const first = blocks[start];
  if (
    first &&
    start <= end &&
    (first.element.name === 'mj-hero' ||
      first.summary.backgroundImage ||
      first.summary.images.some((img) => (img.width ?? 600) >= 400))
  )
    roles[start] = 'hero';
  return roles;
}

function isLogo(img: Summary['images'][number]): boolean {
  return /logo/i.test(`${img.alt} ${img.src} ${img.cssClass}`) || (img.width !== undefined && img.width <= 250);
}

function headerLike(element: SourceElement, s: Summary): boolean {
  if (element.name === 'mj-hero') return false;
  if (VIEW_ONLINE.test(s.text) && s.text.length <= 160) return true;
  const bigHeading = s.headings.some((h) => h.length > 0);
  return (s.images.some(isLogo) || s.navbar) && s.text.length <= 120 && s.buttons.length <= 1 && !bigHeading;
}

function legal(s: Summary): boolean {
  return LEGAL.test(s.text) || s.hrefs.some((h) => LEGAL_HREF.test(h));
}

function footerLike(s: Summary, last: boolean): boolean {
  if (legal(s)) return true;
  if (last && s.smallPrint && s.buttons.length === 0 && !s.images.some((img) => (img.width ?? 600) > 200)) return true;
  return s.social && s.text.length <= 200 && s.buttons.length === 0;
}

function roleReason(role: ModuleRole, s: Summary): string {
  switch (role) {
    case 'header':
      return VIEW_ONLINE.test(s.text)
        ? 'header-like: a "view online" bar at the top'
        : `header-like: ${s.navbar ? 'navigation' : 'a logo'} at the top with little text`;
    case 'footer':
      return legal(s)
        ? 'footer-like: legal text or an unsubscribe link at the end'
        : s.social
          ? 'footer-like: social links at the end'
          : 'footer-like: small print at the end';
    case 'hero':
      return 'the first big block after the header (a hero image or background)';
    case 'content':
      return s.headings[0] === undefined ? 'content' : `content headed "${firstWords(s.headings[0], 6)}"`;
  }
}

/** The one element an ending tag holds (whitespace and comments aside), if it holds only text itself. */
function onlyChild(e: SourceElement, source: string): SourceElement | undefined {
  const nodes = e.children.filter(
    (c: SourceNode) => c.kind === 'element' || source.slice(c.start, c.end).trim() !== '',
  );
  const only = nodes[0];
  if (nodes.length !== 1 || only?.kind !== 'element') return undefined;
  if (childElements(only).length > 0 || ['br', 'img', 'hr', 'table'].includes(only.name)) return undefined;
  return source.slice(only.openEnd, only.closeStart).trim() === '' ? undefined : only;
}

/** A link the hub wrote without a scheme (`#`, `/page`) stays allowed for its slot. */
function relativeLink(href: string | undefined): [string, string][] {
  const value = decodeHTML(href ?? '').trim();
  if (value === '' || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value) || value.startsWith('//')) return [];
  return [['hs-allow-relative', value.startsWith('#') ? 'fragment' : 'path']];
}

/** `{{ }}`/`{% %}` that is not the neutral token grammar (a platform's own merge syntax). */
function liveSyntax(content: string): boolean {
  return /\{\{|\{%/.test(content) && parseTokens(decodeHTML(content)).errors.length > 0;
}

/** The words a reader sees in a piece of HTML. */
function visible(html: string): string {
  return decodeHTML(html.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

function firstWords(text: string, n: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  const out = words.slice(0, n).join(' ');
  return out.length > 48 ? `${out.slice(0, 47)}…` : words.length > n ? `${out}…` : out;
}

/** An id from words: ASCII letters and digits joined by "-", starting with a letter. */
function slug(text: string): string | undefined {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  if (s === '') return undefined;
  return /^[a-z]/.test(s) ? s : `s-${s}`;
}

function unique(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

function pixels(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^\s*(\d+)(?:px)?\s*$/.exec(value);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

function describeGlue(text: string): string {
  if (/<!--\[if/i.test(text)) return 'an Outlook conditional comment';
  if (text.startsWith('<!--')) return `the comment ${text.length > 50 ? `${text.slice(0, 47)}…` : text}`;
  return 'raw HTML';
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.at - b.at || b.remove - a.remove);
  let out = '';
  let cursor = 0;
  for (const e of sorted) {
    out += source.slice(cursor, e.at) + e.text;
    cursor = Math.max(cursor, e.at + e.remove);
  }
  return out + source.slice(cursor);
}
