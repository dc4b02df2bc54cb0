import {
  HubspokeError,
  IdSchema,
  SlotKindSchema,
  TemplateSchema,
  LineIndex,
  formatIssues,
  type Diagnostic,
  type Location,
  type LockLevel,
  type SlotDef,
  type SlotKind,
  type Template,
  type TemplateInput,
  type TextFieldDef,
} from '@hubspoke/core';
import { diagnostic, hasErrors } from '../diagnostics.js';
import { loadMjml } from '../mjml/load.js';
import { parseTokens } from '@hubspoke/core';
import {
  decodeValue,
  normalizeText,
  parseBoolean,
  parseCount,
  parseFallbacks,
  parseList,
  parseOccurs,
  type Parsed,
} from './attributes.js';
import { bindSlot } from './bindings.js';
import { expandIncludes, type ExpandedSource, type IncludeReader } from './includes.js';
import { morePermissiveThanModule, parseLockAttribute } from './locks.js';
import {
  attr,
  childElements,
  isGlue,
  lineColumn,
  parseSourceTree,
  walkElements,
  type SourceElement,
  type SourceTree,
} from './source-tree.js';

export interface ParseTemplateOptions {
  /** Used when `<mjml>` has no `hs-id`. */
  id?: string;
  /** Used when `<mjml>` has no `hs-version`; defaults to 1. */
  version?: number;
  /** Used when `<mjml>` has no `hs-name`; defaults to the id. */
  name?: string;
  /** The template's path in the hub folder (`/`-separated): put in diagnostic locations; includes resolve from it. */
  file?: string;
  /**
   * Reads the files `mj-include` names, inside the hub folder only (see `folderIncludes`).
   * Without it an mj-include is an error: a template would silently lose content.
   */
  includes?: IncludeReader;
}

export type ParseTemplateResult =
  | { ok: true; template: Template; diagnostics: Diagnostic[] }
  | { ok: false; template?: undefined; diagnostics: Diagnostic[] };

const ROOT_ATTRS = new Set([
  'hs-id',
  'hs-version',
  'hs-name',
  'hs-description',
  'hs-ordering',
  'hs-locale',
  'hs-fallbacks',
  'hs-initial',
  'hs-tags',
]);
const FIELD_ATTRS = new Set(['hs-max', 'hs-required', 'hs-lock']);
const MODULE_ATTRS = new Set([
  'hs-module',
  'hs-name',
  'hs-description',
  'hs-lock',
  'hs-pinned',
  'hs-occurs',
  'hs-position',
  'hs-tags',
]);
const SLOT_COMMON = ['hs-slot', 'hs-kind', 'hs-label', 'hs-help', 'hs-required', 'hs-lock'];
const SLOT_ATTRS: Record<SlotKind, Set<string>> = {
  text: new Set([...SLOT_COMMON, 'hs-max', 'hs-min', 'hs-pattern', 'hs-multiline', 'hs-translatable']),
  richText: new Set([...SLOT_COMMON, 'hs-max', 'hs-allowed-tags', 'hs-translatable']),
  image: new Set([
    ...SLOT_COMMON,
    'hs-require-alt',
    'hs-min-width',
    'hs-max-width',
    'hs-min-height',
    'hs-max-height',
    'hs-domains',
    'hs-from-library',
    'hs-translatable',
  ]),
  link: new Set([...SLOT_COMMON, 'hs-schemes', 'hs-domains', 'hs-max', 'hs-translatable', 'hs-allow-relative']),
  color: new Set([...SLOT_COMMON, 'hs-palette-only', 'hs-attr']),
  boolean: new Set([...SLOT_COMMON, 'hs-default']),
  list: new Set([...SLOT_COMMON, 'hs-options', 'hs-default', 'hs-attr']),
};

/**
 * Reads a hub template written in MJML with inline `hs-*` declarations and returns a core
 * `Template`, or every problem found as diagnostics with line/column in the source. Never throws
 * for bad template content; throws `E_VALIDATION` only when `source` is not a string.
 */
export function parseTemplate(source: string, options: ParseTemplateOptions = {}): ParseTemplateResult {
  const input: unknown = source;
  if (typeof input !== 'string') {
    throw new HubspokeError(
      'E_VALIDATION',
      `source: expected MJML text, got ${input === null ? 'null' : typeof input}`,
      { path: 'source' },
    );
  }
  return new TemplateReader(source, options).read();
}

class TemplateReader {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly tree: SourceTree;
  private readonly source: string;
  private readonly expanded: ExpandedSource | undefined;
  private readonly lines: LineIndex;

  constructor(
    source: string,
    private readonly options: ParseTemplateOptions,
  ) {
    this.expanded =
      options.includes && source.includes('<mj-include')
        ? expandIncludes(source, options.file, options.includes)
        : undefined;
    this.source = this.expanded?.source ?? source;
    this.lines = new LineIndex(this.source);
    this.tree = parseSourceTree(this.source);
  }

  read(): ParseTemplateResult {
    for (const issue of this.expanded?.issues ?? []) {
      const location = this.fileSpan(issue.file, issue.start, issue.end);
      this.report(issue.ruleId, issue.message, location);
    }
    for (const issue of this.tree.issues)
      this.report(
        'template/malformed',
        `Malformed MJML: ${issue.message}`,
        this.span(issue.start, issue.end),
        issue.severity,
      );
    const roots = this.tree.nodes.filter((n): n is SourceElement => n.kind === 'element');
    const root = roots[0];
    if (roots.length !== 1 || root?.name !== 'mjml') {
      this.report(
        'template/malformed',
        'Expected exactly one <mjml> root element',
        root ? this.at(root) : this.span(0, 0),
      );
      return this.fail();
    }
    for (const include of [...walkElements([root])].filter((e) => e.name === 'mj-include')) {
      this.report(
        'template/include',
        'mj-include needs the hub folder to read from (parseTemplate options.includes; the CLI passes it): without it the included content would be lost',
        this.at(include),
      );
    }
    const head = childElements(root).find((e) => e.name === 'mj-head');
    const body = childElements(root).find((e) => e.name === 'mj-body');
    if (!body) {
      this.report('template/malformed', '<mjml> has no <mj-body>', this.at(root));
      return this.fail();
    }

    const input = this.readRoot(root);
    const { subject, preheader, headMjml } = head
      ? this.readHead(head)
      : { subject: undefined, preheader: undefined, headMjml: '' };
    input.head = headMjml;
    if (subject) input.subject = subject;
    if (preheader) input.preheader = preheader;
    input.bodyAttributes = this.readBodyAttributes(body);
    input.modules = this.readModules(body);
    input.source = this.source;

    this.checkOrdering(input, body);
    this.validateMjml();
    if (hasErrors(this.diagnostics)) return this.fail();

    const parsed = TemplateSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) {
      for (const issue of formatIssues('template', parsed.error.issues, TemplateSchema))
        this.report('template/invalid', issue.message, this.at(root));
      return this.fail();
    }
    return { ok: true, template: parsed.data, diagnostics: this.diagnostics };
  }

  private fail(): ParseTemplateResult {
    return { ok: false, diagnostics: this.diagnostics };
  }

  private report(
    ruleId: string,
    message: string,
    location: Location,
    severity: Diagnostic['severity'] = 'error',
  ): void {
    this.diagnostics.push(diagnostic(ruleId, severity, message, location));
  }

  /** A span of the (expanded) source, located in the file it came from. */
  private span(start: number, end: number): Location {
    if (this.expanded) {
      const from = this.expanded.locate(start);
      const to = this.expanded.locate(Math.max(start, end - 1));
      const location: Location = {
        source: 'template',
        line: from.line,
        column: from.column,
        endLine: to.line,
        endColumn: to.file === from.file ? to.column + (end > start ? 1 : 0) : from.column,
        start: from.offset,
        end: to.file === from.file ? to.offset + (end > start ? 1 : 0) : from.offset,
      };
      if (from.file !== undefined) location.file = from.file;
      return location;
    }
    return this.fileSpan(this.options.file, start, end);
  }

  private fileSpan(file: string | undefined, start: number, end: number): Location {
    const position = (offset: number) => this.expanded?.position(file, offset) ?? this.lines.position(offset);
    const from = position(start);
    const to = position(end);
    const location: Location = {
      source: 'template',
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      start,
      end,
    };
    if (file !== undefined) location.file = file;
    return location;
  }

  private at(element: SourceElement, extra: Partial<Location> = {}): Location {
    return { ...this.span(element.start, element.openEnd), ...extra };
  }

  private value<T>(
    element: SourceElement,
    name: string,
    parsed: Parsed<T>,
    extra: Partial<Location> = {},
  ): T | undefined {
    if (parsed.ok) return parsed.value;
    this.report('template/invalid-attribute', `${name}: ${parsed.error}`, this.at(element, extra));
    return undefined;
  }

  private readRoot(root: SourceElement): TemplateInput & { modules: TemplateInput['modules'] } {
    const input: TemplateInput = { id: '', version: 1, name: '', modules: [] };
    for (const a of root.attrs) {
      if (a.name.startsWith('hs-') && !ROOT_ATTRS.has(a.name))
        this.report('template/unknown-attribute', `Unknown attribute ${a.name} on <mjml>`, this.at(root));
      else if (a.name === 'lang' || a.name === 'dir')
        this.report(
          'template/ignored-attribute',
          `<mjml ${a.name}> is ignored: it is set from the locale at render time (hs-locale sets the default locale)`,
          this.at(root),
          'warning',
        );
      else if (!a.name.startsWith('hs-'))
        this.report('template/ignored-attribute', `<mjml ${a.name}> is ignored`, this.at(root), 'warning');
    }
    const id = attr(root, 'hs-id') ?? this.options.id;
    if (id === undefined)
      this.report('template/missing-id', 'The template needs an id: add hs-id="…" to <mjml>', this.at(root));
    input.id = id ?? '';
    const version = attr(root, 'hs-version');
    input.version =
      version === undefined ? (this.options.version ?? 1) : (this.value(root, 'hs-version', parseCount(version)) ?? 1);
    input.name = decodeValue(attr(root, 'hs-name') ?? this.options.name ?? input.id);
    const description = attr(root, 'hs-description');
    if (description !== undefined) input.description = decodeValue(description);
    const ordering = attr(root, 'hs-ordering');
    if (ordering !== undefined) {
      if (ordering === 'declared' || ordering === 'free') input.ordering = ordering;
      else
        this.report(
          'template/invalid-attribute',
          `hs-ordering: expected declared or free, got "${ordering}"`,
          this.at(root),
        );
    }
    const locale = attr(root, 'hs-locale');
    if (locale !== undefined) input.defaultLocale = locale;
    const fallbacks = attr(root, 'hs-fallbacks');
    if (fallbacks !== undefined) {
      const chain = this.value(root, 'hs-fallbacks', parseFallbacks(fallbacks));
      if (chain) input.fallbacks = chain;
    }
    const initial = attr(root, 'hs-initial');
    if (initial !== undefined) input.initialModules = parseList(initial);
    const tags = attr(root, 'hs-tags');
    if (tags !== undefined) input.tags = parseList(tags);
    return input;
  }

  /** mj-title declares the subject, mj-preview the preheader; both are rendered from the draft. */
  private readHead(head: SourceElement): { subject?: TextFieldDef; preheader?: TextFieldDef; headMjml: string } {
    let subject: TextFieldDef | undefined;
    let preheader: TextFieldDef | undefined;
    let headMjml = '';
    let cursor = head.openEnd;
    for (const child of childElements(head)) {
      if (child.name === 'mj-title' || child.name === 'mj-preview') {
        const field = this.readTextField(child, child.name === 'mj-title');
        if (child.name === 'mj-title') subject = field;
        else preheader = field;
        headMjml += this.source.slice(cursor, child.start);
        cursor = child.end;
        continue;
      }
      for (const e of walkElements([child])) {
        if (e.attrs.some((a) => a.name.startsWith('hs-')))
          this.report(
            'template/unknown-attribute',
            `hs-* attributes are only read on mj-title and mj-preview inside <mj-head>`,
            this.at(e),
          );
      }
    }
    headMjml += this.source.slice(cursor, head.closeStart);
    return { ...(subject && { subject }), ...(preheader && { preheader }), headMjml: headMjml.trim() };
  }

  private readTextField(element: SourceElement, isSubject: boolean): TextFieldDef {
    const field: TextFieldDef = { required: isSubject, lock: 'editable' };
    for (const a of element.attrs) {
      if (a.name.startsWith('hs-') && !FIELD_ATTRS.has(a.name))
        this.report(
          'template/unknown-attribute',
          `Unknown attribute ${a.name} on <${element.name}> (expected hs-max, hs-required, hs-lock)`,
          this.at(element),
        );
    }
    const max = attr(element, 'hs-max');
    if (max !== undefined) {
      const n = this.value(element, 'hs-max', parseCount(max));
      if (n !== undefined) field.maxLength = n;
    }
    const required = attr(element, 'hs-required');
    if (required !== undefined)
      field.required = this.value(element, 'hs-required', parseBoolean(required)) ?? field.required;
    const lock = this.readLock(element);
    if (lock !== undefined) field.lock = lock;
    const text = normalizeText(this.source.slice(element.openEnd, element.closeStart));
    if (text !== '') {
      field.default = text;
      this.checkTokens(text, element, {});
    }
    return field;
  }

  private readLock(element: SourceElement, extra: Partial<Location> = {}): LockLevel | undefined {
    const raw = attr(element, 'hs-lock');
    if (raw === undefined) return undefined;
    return this.value(element, 'hs-lock', parseLockAttribute(raw), extra);
  }

  private readBodyAttributes(body: SourceElement): Record<string, string> {
    const out: Record<string, string> = {};
    for (const a of body.attrs) {
      if (a.name.startsWith('hs-'))
        this.report('template/unknown-attribute', `Unknown attribute ${a.name} on <mj-body>`, this.at(body));
      else out[a.name] = a.value;
    }
    return out;
  }

  /**
   * Every top-level element of mj-body is a module, except mj-raw glue (Outlook conditionals,
   * raw HTML with no hs-*): glue and comments travel with the next module, or the last one at
   * the end, so mjml sees them exactly where they were written.
   */
  private readModules(body: SourceElement): NonNullable<TemplateInput['modules']> {
    const modules: NonNullable<TemplateInput['modules']> = [];
    const seen = new Set<string>();
    let glueStart: number | undefined;
    let last: { module: NonNullable<TemplateInput['modules']>[number]; start: number } | undefined;
    for (const node of body.children) {
      if (node.kind === 'text') {
        if (this.source.slice(node.start, node.end).trim() !== '') glueStart ??= node.start;
        continue;
      }
      const element = node;
      const id = attr(element, 'hs-module');
      if (id === undefined && isGlue(element)) {
        glueStart ??= element.start;
        continue;
      }
      if (id === undefined) {
        this.report(
          'template/module-missing-id',
          `Every top-level element of <mj-body> must be a module: add hs-module="…" to <${element.name}> (importMjml does it for a whole email)`,
          this.at(element),
        );
        continue;
      }
      if (!IdSchema.safeParse(id).success) {
        this.report(
          'template/invalid-id',
          `hs-module: "${id}" is not an id (a letter, then letters, digits, "_", "-" or ".")`,
          this.at(element),
        );
        continue;
      }
      if (seen.has(id))
        this.report(
          'template/duplicate-module',
          `Module id "${id}" is declared twice`,
          this.at(element, { moduleId: id }),
        );
      seen.add(id);
      const start = glueStart ?? element.start;
      glueStart = undefined;
      const module = this.readModule(element, id, start);
      modules.push(module);
      last = { module, start };
    }
    // Glue after the last module stays at the end of the email.
    if (last && glueStart !== undefined) {
      const end = body.children.reduce(
        (e, n) => (n.kind === 'text' && this.source.slice(n.start, n.end).trim() === '' ? e : n.end),
        0,
      );
      last.module.mjml = this.source.slice(last.start, end);
    }
    return modules;
  }

  private readModule(element: SourceElement, id: string, start: number): NonNullable<TemplateInput['modules']>[number] {
    const where = { moduleId: id };
    const module: NonNullable<TemplateInput['modules']>[number] = {
      id,
      name: decodeValue(attr(element, 'hs-name') ?? id),
      mjml: this.source.slice(start, element.end),
      sourceLine: this.span(start, start).line ?? 1,
    };
    const description = attr(element, 'hs-description');
    if (description !== undefined) module.description = decodeValue(description);
    const lock = this.readLock(element, where);
    if (lock !== undefined) module.lock = lock;
    const pinned = attr(element, 'hs-pinned');
    if (pinned !== undefined) module.pinned = this.value(element, 'hs-pinned', parseBoolean(pinned), where) ?? false;
    const occurs = attr(element, 'hs-occurs');
    if (occurs !== undefined) {
      const range = this.value(element, 'hs-occurs', parseOccurs(occurs), where);
      if (range) module.occurs = range;
    }
    const position = attr(element, 'hs-position');
    if (position !== undefined) {
      if (position === 'start' || position === 'end' || position === 'any') module.position = position;
      else
        this.report(
          'template/invalid-attribute',
          `hs-position: expected start, end or any, got "${position}"`,
          this.at(element, where),
        );
    }
    const tags = attr(element, 'hs-tags');
    if (tags !== undefined) module.tags = parseList(tags);
    if (module.pinned === true && (module.occurs?.min ?? 0) === 0)
      module.occurs = { min: 1, max: module.occurs?.max ?? 1 };

    const slots: SlotDef[] = [];
    for (const e of walkElements([element])) {
      const isRoot = e === element;
      const slotId = attr(e, 'hs-slot');
      if (slotId === undefined) {
        for (const a of e.attrs) {
          if (a.name.startsWith('hs-') && !(isRoot && MODULE_ATTRS.has(a.name))) {
            this.report(
              'template/unknown-attribute',
              `${a.name} on <${e.name}> needs hs-slot="…" (or is not a known attribute)`,
              this.at(e, where),
            );
          }
        }
        continue;
      }
      const slot = this.readSlot(e, slotId, id, isRoot);
      if (!slot) continue;
      const here = this.at(e, { ...where, slotId: slot.id });
      if (slots.some((s) => s.id === slot.id))
        this.report('template/duplicate-slot', `Slot id "${slot.id}" appears twice in module "${id}"`, here);
      slots.push(slot);
      const looser = morePermissiveThanModule(slot, module.lock ?? 'editable');
      if (looser.length > 0) {
        const moduleLock = typeof module.lock === 'string' ? module.lock : 'custom';
        this.report(
          'template/lock-conflict',
          `Slot "${slot.id}" makes ${looser.join(', ')} editable inside module "${id}", whose lock (${moduleLock}) does not allow it`,
          here,
        );
      }
    }
    module.slots = slots;
    return module;
  }

  private readSlot(e: SourceElement, slotId: string, moduleId: string, isRoot: boolean): SlotDef | undefined {
    const where = { moduleId, slotId };
    if (!IdSchema.safeParse(slotId).success) {
      this.report(
        'template/invalid-id',
        `hs-slot: "${slotId}" is not an id (a letter, then letters, digits, "_", "-" or ".")`,
        this.at(e, { moduleId }),
      );
      return undefined;
    }
    const kindRaw = attr(e, 'hs-kind');
    const kind = SlotKindSchema.safeParse(kindRaw);
    if (!kind.success) {
      this.report(
        'template/unknown-kind',
        `hs-kind: expected one of ${SlotKindSchema.options.join(', ')}, got ${kindRaw === undefined ? 'nothing' : `"${kindRaw}"`}`,
        this.at(e, where),
      );
      return undefined;
    }
    const known = SLOT_ATTRS[kind.data];
    for (const a of e.attrs) {
      if (a.name.startsWith('hs-') && !known.has(a.name) && !(isRoot && MODULE_ATTRS.has(a.name))) {
        this.report('template/unknown-attribute', `${a.name} does not apply to a ${kind.data} slot`, this.at(e, where));
      }
    }
    const binding = bindSlot(e, slotId, kind.data);
    if (typeof binding === 'string') {
      this.report('template/slot-binding', binding, this.at(e, where));
      return undefined;
    }
    if (binding.content) {
      for (const inner of walkElements(e.children)) {
        if (attr(inner, 'hs-slot') !== undefined)
          this.report(
            'template/nested-slot',
            `Slot "${attr(inner, 'hs-slot') ?? ''}" sits inside the content of slot "${slotId}"`,
            this.at(inner, where),
          );
      }
    }
    const { line = 1, column = 1 } = this.span(e.start, e.start);
    const slot: Record<string, unknown> = { id: slotId, kind: kind.data, sourceLine: line, sourceColumn: column };
    const text = (name: string) => {
      const v = attr(e, name);
      return v === undefined ? undefined : decodeValue(v);
    };
    const set = (key: string, name: string, read: (raw: string) => Parsed<unknown>) => {
      const raw = attr(e, name);
      if (raw === undefined) return;
      const v = this.value(e, name, read(raw), where);
      if (v !== undefined) slot[key] = v;
    };
    const label = text('hs-label');
    if (label !== undefined) slot.label = label;
    const help = text('hs-help');
    if (help !== undefined) slot.help = help;
    set('required', 'hs-required', parseBoolean);
    if (!isRoot) {
      const lock = this.readLock(e, where);
      if (lock !== undefined) slot.lock = lock;
    }
    set('translatable', 'hs-translatable', parseBoolean);
    const content = () => this.source.slice(e.openEnd, e.closeStart);
    const domains = () => {
      const d = text('hs-domains');
      if (d !== undefined) slot.allowedDomains = parseList(d);
    };

    switch (kind.data) {
      case 'text': {
        set('maxLength', 'hs-max', (r) => parseCount(r));
        set('minLength', 'hs-min', (r) => parseCount(r, 0));
        set('multiline', 'hs-multiline', parseBoolean);
        const pattern = text('hs-pattern');
        if (pattern !== undefined) {
          try {
            new RegExp(pattern, 'u');
            slot.pattern = pattern;
          } catch {
            this.report(
              'template/invalid-attribute',
              `hs-pattern: "${pattern}" is not a valid regular expression`,
              this.at(e, where),
            );
          }
        }
        const value = normalizeText(content());
        if (value !== '') {
          slot.default = value;
          this.checkTokens(value, e, where);
        }
        break;
      }
      case 'richText': {
        set('maxLength', 'hs-max', (r) => parseCount(r));
        const tags = text('hs-allowed-tags');
        if (tags !== undefined) slot.allowedTags = parseList(tags);
        const value = content().trim();
        if (value !== '') slot.default = value;
        break;
      }
      case 'image': {
        set('requireAlt', 'hs-require-alt', parseBoolean);
        if (binding.alt === undefined && slot.requireAlt === undefined) slot.requireAlt = false;
        for (const [key, name] of [
          ['minWidth', 'hs-min-width'],
          ['maxWidth', 'hs-max-width'],
          ['minHeight', 'hs-min-height'],
          ['maxHeight', 'hs-max-height'],
        ] as const)
          set(key, name, (r) => parseCount(r));
        set('fromLibrary', 'hs-from-library', parseBoolean);
        domains();
        const src = binding.src === undefined ? undefined : text(binding.src);
        if (src !== undefined && src !== '') {
          const image: Record<string, unknown> = { src };
          const alt = binding.alt === undefined ? undefined : text(binding.alt);
          if (alt !== undefined) image.alt = alt;
          for (const dim of ['width', 'height'] as const) {
            const raw = binding.size ? attr(e, binding.size[dim]) : undefined;
            if (raw !== undefined && /^\d+(px)?$/.test(raw)) image[dim] = Number.parseInt(raw, 10);
          }
          slot.default = image;
        }
        break;
      }
      case 'link': {
        set('maxTextLength', 'hs-max', (r) => parseCount(r));
        const schemes = text('hs-schemes');
        if (schemes !== undefined) slot.allowedSchemes = parseList(schemes);
        const relative = text('hs-allow-relative');
        if (relative === 'fragment' || relative === 'path') slot.allowRelative = relative;
        else if (relative !== undefined)
          this.report(
            'template/invalid-attribute',
            `hs-allow-relative: expected fragment (#… links) or path (any relative link), got "${relative}"`,
            this.at(e, where),
          );
        domains();
        const value = normalizeText(content());
        slot.default = { href: text('href') ?? '', text: value };
        this.checkTokens(value, e, where);
        break;
      }
      case 'color': {
        set('paletteOnly', 'hs-palette-only', parseBoolean);
        const first = binding.attrs[0];
        const value = first === undefined ? undefined : text(first);
        if (value === undefined || !/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value)) {
          this.report(
            'template/slot-default',
            `A color slot's ${first ?? 'attribute'} must hold a hex colour such as #0b5cad, got ${value === undefined ? 'nothing' : `"${value}"`}`,
            this.at(e, where),
          );
        } else slot.default = value;
        break;
      }
      case 'boolean':
        set('default', 'hs-default', parseBoolean);
        slot.default ??= true;
        break;
      case 'list': {
        const options = parseList(attr(e, 'hs-options') ?? '');
        if (options.length === 0)
          this.report('template/invalid-attribute', 'A list slot needs hs-options="a, b, c"', this.at(e, where));
        slot.options = options;
        const first = binding.attrs[0];
        const current = text('hs-default') ?? (first === undefined ? normalizeText(content()) : text(first));
        if (current !== undefined && current !== '') {
          if (options.length > 0 && !options.includes(current))
            this.report(
              'template/slot-default',
              `The list default "${current}" is not one of hs-options (${options.join(', ')})`,
              this.at(e, where),
            );
          slot.default = current;
        }
        break;
      }
    }
    return slot as SlotDef;
  }

  private checkTokens(text: string, element: SourceElement, where: Partial<Location>): void {
    // A default is hub text: it may hold `{% platform … %}` code for one platform.
    for (const error of parseTokens(text, { hubOwned: true }).errors) {
      this.report(
        'personalization/syntax',
        `Personalization: ${error.message}`,
        this.at(element, { ...where, property: 'text' }),
      );
    }
  }

  /** Declared ordering cannot put a `start` module after others or an `end` module before them. */
  private checkOrdering(input: TemplateInput, body: SourceElement): void {
    if (input.ordering === 'free') return;
    const modules = input.modules;
    const rank = (p: string | undefined) => (p === 'start' ? 0 : p === 'end' ? 2 : 1);
    for (let i = 1; i < modules.length; i++) {
      const prev = modules[i - 1];
      const cur = modules[i];
      if (prev && cur && rank(cur.position) < rank(prev.position)) {
        this.report(
          'template/order-conflict',
          `Module "${cur.id}" (position ${cur.position ?? 'any'}) is declared after "${prev.id}" (position ${prev.position ?? 'any'}), which declared ordering cannot satisfy`,
          this.at(body, { moduleId: cur.id }),
        );
      }
    }
    const ids = new Set(modules.map((m) => m.id));
    for (const id of input.initialModules ?? []) {
      if (!ids.has(id))
        this.report(
          'template/unknown-module',
          `hs-initial names "${id}", which is not a module of this template`,
          this.at(body),
        );
    }
  }

  /** Runs mjml's own validator over the source with every hs-* attribute removed (lines kept). */
  private validateMjml(): void {
    if (hasErrors(this.diagnostics)) return;
    const mjml = loadMjml();
    const clean = stripHsAttributes(this.tree);
    let errors: { line: number; message: string; tagName: string }[];
    try {
      const json = mjml.parseXml(clean, { keepComments: true, components: mjml.components, ignoreIncludes: true });
      errors = mjml.validate(json, {
        components: mjml.components,
        dependencies: mjml.dependencies,
        initializeType: mjml.initializeType,
      });
    } catch (cause) {
      this.report(
        'mjml/invalid',
        `mjml could not read the template: ${cause instanceof Error ? cause.message : String(cause)}`,
        this.span(0, 0),
      );
      return;
    }
    const elements = [...walkElements(this.tree.nodes)];
    for (const error of errors) {
      const element = elements.find(
        (e) => e.name === error.tagName && lineColumn(this.source, e.start).line === error.line,
      );
      const location = element ? this.at(element) : { ...this.span(0, 0), line: Math.max(1, error.line), column: 1 };
      this.report('mjml/invalid', `MJML: ${error.message}`, location);
    }
  }
}

/** The source with hs-* attributes removed from every tag, keeping line breaks so lines still match. */
export function stripHsAttributes(tree: SourceTree): string {
  let out = '';
  let cursor = 0;
  for (const e of walkElements(tree.nodes)) {
    if (!e.attrs.some((a) => a.name.startsWith('hs-'))) continue;
    const openTag = tree.source.slice(e.start, e.openEnd);
    const newlines = '\n'.repeat((openTag.match(/\n/g) ?? []).length);
    out += tree.source.slice(cursor, e.start) + openTagWithout(e, (a) => a.startsWith('hs-'), newlines);
    cursor = e.openEnd;
  }
  return out + tree.source.slice(cursor);
}

export function openTagWithout(e: SourceElement, drop: (name: string) => boolean, tail = ''): string {
  const attrs = e.attrs.filter((a) => !drop(a.name)).map((a) => ` ${a.name}=${quote(a.value)}`);
  return `<${e.name}${attrs.join('')}${tail}${e.selfClosing ? ' />' : '>'}`;
}

/** Quotes a raw attribute value; one holding both quote characters gets its `"` as an entity. */
export function quote(raw: string): string {
  if (!raw.includes('"')) return `"${raw}"`;
  return raw.includes("'") ? `"${raw.replace(/"/g, '&quot;')}"` : `'${raw}'`;
}
