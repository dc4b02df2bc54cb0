import {
  closest,
  BrandKitSchema,
  DraftSchema,
  accessOf,
  brandLibrary,
  compareDiagnostics,
  effectiveLock,
  fieldsOf,
  lockedChanges,
  matchesKind,
  normalizeHexColor,
  paletteColorOf,
  parseTokens,
  type TokenNode,
  formatIssues,
  parse,
  type BrandKit,
  type Diagnostic,
  type Dialect,
  type Draft,
  type FieldMap,
  type Fix,
  type ImageSlotDef,
  type ImageValue,
  type LinkSlotDef,
  type LinkValue,
  type Location,
  type ModuleInstance,
  type SlotValue,
  type Template,
} from '@hubspoke/core';
import { differenceCiede2000 } from 'culori';
import { DomUtils, parseDocument } from 'htmlparser2';
import { diagnostic } from '../diagnostics.js';
import { checkUrl, hostAllowed } from '../personalization/escape.js';
import { resolveFieldMap, type PlatformDialect } from '../personalization/field-map.js';
import { processRichText, processText, type ValueIssue } from '../render/values.js';
import {
  compileTemplate,
  type CompiledModule,
  type CompiledSlot,
  type CompiledTemplate,
} from '../template/compiled.js';
import { localeChain, resolveDraft, resolveField, resolveSlot } from './resolve.js';
import { codePointLength, expectedShape } from './slot-values.js';

export interface ValidateOptions {
  /** Palette for `paletteOnly` colours; assets and logos for `fromLibrary` images. */
  brandKit?: BrandKit;
  /** Check that every personalization field is mapped for these dialects. */
  dialects?: Dialect[];
  /** The field map those dialects use (core `FieldMap`), over the built-in defaults. */
  fieldMap?: FieldMap;
}

/**
 * Checks a spoke's draft against its template and returns every violation (never just the
 * first) as core diagnostics, sorted by location: unknown modules and slots, locked changes,
 * pinned modules, repeat bounds and order, lengths and patterns, colours off the palette, missing
 * alt text, link schemes and domains, required slots per locale, personalization syntax.
 * Throws `E_VALIDATION` only for a malformed template or options; a malformed draft is reported.
 */
export function validateDraft(template: Template, draft: Draft, options: ValidateOptions = {}): Diagnostic[] {
  const compiled = compileTemplate(template);
  const brandKit =
    options.brandKit === undefined ? undefined : parse(BrandKitSchema, options.brandKit, 'options.brandKit');
  const parsed = DraftSchema.safeParse(draft, { reportInput: true });
  if (!parsed.success) {
    return formatIssues('draft', parsed.error.issues, DraftSchema).map((issue) =>
      diagnostic('draft/invalid', 'error', issue.message, { source: 'draft', path: issue.path }),
    );
  }
  const checker = new DraftChecker(compiled, parsed.data, brandKit, options);
  checker.run();
  return checker.diagnostics.sort(compareDiagnostics);
}

class DraftChecker {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  private readonly dialects: PlatformDialect[];
  private readonly fieldMap;

  constructor(
    private readonly compiled: CompiledTemplate,
    private readonly draft: Draft,
    private readonly brandKit: BrandKit | undefined,
    options: ValidateOptions,
  ) {
    this.dialects = (options.dialects ?? []).filter((d): d is PlatformDialect => d !== 'preview');
    this.fieldMap = resolveFieldMap(options.fieldMap);
  }

  private add(d: Diagnostic): void {
    const key = `${d.ruleId}|${d.message}|${JSON.stringify(d.location)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(d);
  }

  run(): void {
    const { template } = this.compiled;
    if (this.draft.template.id !== template.id || this.draft.template.version !== template.version) {
      this.add(
        diagnostic(
          'template/version-mismatch',
          'error',
          `The draft pins ${this.draft.template.id}@${this.draft.template.version}, not ${template.id}@${template.version}; upgrade it with upgradeDraft`,
          { source: 'draft' },
          { pinned: this.draft.template, template: { id: template.id, version: template.version } },
        ),
      );
    }
    this.checkStructure();
    this.checkFallbacks();
    const locales = [...new Set([this.draft.defaultLocale, ...Object.keys(this.draft.content)])];
    for (const locale of locales) {
      this.checkValues(locale);
      this.checkLocale(locale);
    }
  }

  /**
   * Every locale the draft's fallback chains name is one the draft has content for or the template
   * names: a misspelt fallback would silently fall through to the default locale.
   */
  private checkFallbacks(): void {
    const { template } = this.compiled;
    const known = new Set<string>([
      ...Object.keys(this.draft.content),
      template.defaultLocale,
      ...Object.keys(template.fallbacks),
      ...Object.values(template.fallbacks).flat(),
    ]);
    for (const [from, chain] of Object.entries(this.draft.fallbacks)) {
      for (const [i, locale] of [from, ...chain].entries()) {
        if (known.has(locale)) continue;
        const near = closest(locale, known);
        const path = i === 0 ? `draft.fallbacks.${from}` : `draft.fallbacks.${from}[${i - 1}]`;
        this.add(
          diagnostic(
            'template/unknown-locale',
            'error',
            `${path}: the draft has no content in "${locale}" and the template does not name it${near === undefined ? '' : `; did you mean "${near}"?`}`,
            { source: 'draft', path, locale },
            { locale, known: [...known].sort(), ...(near === undefined ? {} : { didYouMean: near }) },
          ),
        );
      }
    }
  }

  private checkStructure(): void {
    const { template } = this.compiled;
    const visible: { instance: ModuleInstance; module: CompiledModule; index: number }[] = [];
    this.draft.modules.forEach((instance, index) => {
      const module = this.compiled.modules.get(instance.moduleId);
      const at: Location = {
        source: 'draft',
        instanceId: instance.instanceId,
        moduleId: instance.moduleId,
        path: `draft.modules[${index}]`,
      };
      if (!module) {
        this.add(
          diagnostic(
            'template/unknown-module',
            'error',
            `"${instance.moduleId}" is not a module of template "${template.id}"`,
            at,
          ),
        );
        return;
      }
      if (instance.hidden) {
        if (module.def.pinned)
          this.add(
            diagnostic(
              'template/pinned-module',
              'error',
              `Module "${module.def.name}" is pinned and cannot be hidden`,
              at,
            ),
          );
        else if (typeof module.def.lock === 'object' && accessOf(module.def.lock, 'visible') !== 'enabled')
          this.add(
            diagnostic(
              'template/locked-module',
              'error',
              `Module "${module.def.name}" may not be hidden (its lock keeps it visible)`,
              at,
            ),
          );
        return;
      }
      visible.push({ instance, module, index });
    });
    for (const module of this.compiled.modules.values()) {
      const count = visible.filter((v) => v.module === module).length;
      const { min, max } = module.def.occurs;
      const at: Location = { source: 'draft', moduleId: module.def.id };
      if (module.def.pinned && count === 0)
        this.add(
          diagnostic(
            'template/pinned-module',
            'error',
            `Module "${module.def.name}" is pinned: it cannot be removed`,
            at,
          ),
        );
      else if (count < min)
        this.add(
          diagnostic(
            'template/module-count',
            'error',
            `Module "${module.def.name}" is needed at least ${min} time${min === 1 ? '' : 's'} (found ${count})`,
            at,
            { min, max, count },
          ),
        );
      if (count > max)
        this.add(
          diagnostic(
            'template/module-count',
            'error',
            `Module "${module.def.name}" may appear at most ${max} time${max === 1 ? '' : 's'} (found ${count})`,
            at,
            { min, max, count },
          ),
        );
    }
    visible.forEach((v, i) => {
      const at: Location = {
        source: 'draft',
        instanceId: v.instance.instanceId,
        moduleId: v.module.def.id,
        path: `draft.modules[${v.index}]`,
      };
      const before = visible.slice(0, i);
      const after = visible.slice(i + 1);
      if (v.module.def.position === 'start' && before.some((b) => b.module.def.position !== 'start')) {
        this.add(diagnostic('template/module-position', 'error', `Module "${v.module.def.name}" must come first`, at));
      }
      if (v.module.def.position === 'end' && after.some((a) => a.module.def.position !== 'end')) {
        this.add(diagnostic('template/module-position', 'error', `Module "${v.module.def.name}" must come last`, at));
      }
      const previous = visible[i - 1];
      if (template.ordering === 'declared' && previous && previous.module.index > v.module.index) {
        this.add(
          diagnostic(
            'template/module-order',
            'error',
            `Module "${v.module.def.name}" is placed after "${previous.module.def.name}", against the template's order`,
            at,
          ),
        );
      }
    });
  }

  /** Every value the draft holds in one locale: shape, lock, constraints, personalization. */
  private checkValues(locale: string): void {
    const content = this.draft.content[locale];
    if (!content) return;
    const instances = new Map(this.draft.modules.map((m) => [m.instanceId, m]));
    for (const [instanceId, values] of Object.entries(content.slots)) {
      const instance = instances.get(instanceId);
      const module = instance && this.compiled.modules.get(instance.moduleId);
      if (!instance) {
        this.add(
          diagnostic(
            'template/unknown-instance',
            'error',
            `Content for "${instanceId}", which is not a module in the draft`,
            { source: 'draft', locale, instanceId },
          ),
        );
        continue;
      }
      if (!module) continue;
      for (const [slotId, value] of Object.entries(values)) {
        const slot = module.slots.get(slotId);
        const at: Location = { source: 'draft', locale, instanceId, moduleId: module.def.id, slotId };
        if (!slot) {
          this.add(
            diagnostic('template/unknown-slot', 'error', `Module "${module.def.name}" has no slot "${slotId}"`, at),
          );
          continue;
        }
        this.checkValue(slot, module, value, at);
      }
    }
    for (const field of ['subject', 'preheader'] as const) {
      const value = content[field];
      if (value === undefined) continue;
      const def = this.compiled.template[field];
      const at: Location = { source: 'draft', locale, field };
      if (accessOf(def.lock, 'text') !== 'enabled' && value !== (def.default ?? ''))
        this.add(diagnostic('template/locked-field', 'error', `The ${field} is locked by the template`, at));
      this.checkText(value, def.maxLength, at, `The ${field}`);
    }
  }

  private checkValue(slot: CompiledSlot, module: CompiledModule, value: SlotValue, at: Location): void {
    const def = slot.def;
    if (!matchesKind(def, value)) {
      this.add(diagnostic('template/wrong-kind', 'error', `Slot "${def.id}" expects ${expectedShape(def)}`, at));
      return;
    }
    if (at.locale !== this.draft.defaultLocale && 'translatable' in def && !def.translatable) {
      this.add(
        diagnostic(
          'l10n/not-translatable',
          'warning',
          `Slot "${def.id}" is not translated: its "${this.draft.defaultLocale}" value is used in every locale and this one is ignored`,
          at,
        ),
      );
    }
    for (const property of lockedChanges(def, effectiveLock(def, module.def), value)) {
      this.add(
        diagnostic('template/locked-slot', 'error', `Slot "${def.id}" is locked: its ${property} cannot be changed`, {
          ...at,
          property,
        }),
      );
    }
    switch (def.kind) {
      case 'text':
        this.checkText(value as string, def.maxLength, { ...at, property: 'text' }, `Slot "${def.id}"`, def.minLength);
        if (!def.multiline && /[\r\n]/.test(value as string))
          this.add(
            diagnostic('template/multiline', 'error', `Slot "${def.id}" takes a single line`, {
              ...at,
              property: 'text',
            }),
          );
        if (def.pattern !== undefined) this.checkPattern(def.id, def.pattern, value as string, at);
        break;
      case 'richText':
        this.checkRichText(def.id, value as string, def.maxLength, def.allowedTags, at);
        break;
      case 'image':
        this.checkImage(def, value as ImageValue, at);
        break;
      case 'link':
        this.checkLink(def, value as LinkValue, at);
        break;
      case 'color':
        this.checkColor(def.id, value as string, def.paletteOnly, at);
        break;
      case 'list':
        if (!def.options.includes(value as string))
          this.add(
            diagnostic(
              'template/list-option',
              'error',
              `Slot "${def.id}" must be one of ${def.options.join(', ')}`,
              at,
              { options: def.options },
            ),
          );
        break;
      case 'boolean':
        break;
    }
  }

  private reportIssues(issues: readonly ValueIssue[], value: string, at: Location): void {
    for (const issue of issues) {
      const location: Location = { ...at };
      if (issue.start !== undefined && issue.end !== undefined) {
        Object.assign(location, { start: issue.start, end: issue.end, ...lineColumnIn(value, issue.start) });
      }
      this.add(diagnostic(issue.ruleId, issue.severity, issue.message, location));
    }
  }

  private checkText(
    value: string,
    maxLength: number | undefined,
    at: Location,
    what: string,
    minLength?: number,
  ): void {
    const processed = processText(value);
    this.reportIssues(processed.issues, value, at);
    const parsed = parseTokens(value);
    const length = measure(parsed.nodes);
    if (maxLength !== undefined && length > maxLength)
      this.add(
        diagnostic(
          'template/too-long',
          'error',
          `${what} is ${length} characters long; the limit is ${maxLength}`,
          at,
          { length, maxLength },
        ),
      );
    if (minLength !== undefined && length < minLength)
      this.add(
        diagnostic(
          'template/too-short',
          'error',
          `${what} is ${length} characters long; at least ${minLength} are needed`,
          at,
          { length, minLength },
        ),
      );
    this.checkFields(parsed.nodes, at);
  }

  private checkPattern(slotId: string, pattern: string, value: string, at: Location): void {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      this.add(
        diagnostic(
          'template/invalid-pattern',
          'error',
          `The template's pattern for slot "${slotId}" is not a valid regular expression`,
          at,
        ),
      );
      return;
    }
    if (!re.test(value))
      this.add(
        diagnostic(
          'template/pattern',
          'error',
          `Slot "${slotId}" does not match the expected format`,
          { ...at, property: 'text' },
          { pattern },
        ),
      );
  }

  private checkRichText(
    slotId: string,
    value: string,
    maxLength: number | undefined,
    allowedTags: string[] | undefined,
    at: Location,
  ): void {
    const processed = processRichText(value, allowedTags);
    this.reportIssues(processed.issues, value, { ...at, property: 'text' });
    const visible = DomUtils.textContent(parseDocument(value).children);
    const parsed = parseTokens(visible);
    const length = measure(parsed.nodes);
    if (maxLength !== undefined && length > maxLength)
      this.add(
        diagnostic(
          'template/too-long',
          'error',
          `Slot "${slotId}" has ${length} characters of text; the limit is ${maxLength}`,
          { ...at, property: 'text' },
          { length, maxLength },
        ),
      );
    this.checkFields(parsed.nodes, at);
  }

  private checkImage(def: ImageSlotDef, value: ImageValue, at: Location): void {
    const url = checkUrl(value.src, ['https', 'http']);
    if (!url.ok)
      this.add(
        diagnostic('template/image-url', 'error', `Image "${def.id}": ${url.reason ?? 'not an image URL'}`, {
          ...at,
          property: 'src',
        }),
      );
    else if (def.allowedDomains && url.host !== undefined && !hostAllowed(url.host, def.allowedDomains)) {
      this.add(
        diagnostic(
          'template/image-domain',
          'error',
          `Image "${def.id}" must come from ${def.allowedDomains.join(', ')}, not ${url.host}`,
          { ...at, property: 'src' },
          { allowed: def.allowedDomains },
        ),
      );
    }
    if (def.requireAlt && (value.alt === undefined || value.alt.trim() === '')) {
      this.add(
        diagnostic('template/missing-alt', 'error', `Image "${def.id}" needs alt text describing it`, {
          ...at,
          property: 'alt',
        }),
      );
    }
    const bound = (name: 'width' | 'height', min: number | undefined, max: number | undefined) => {
      const size = value[name];
      if (size === undefined) return;
      if ((min !== undefined && size < min) || (max !== undefined && size > max)) {
        this.add(
          diagnostic(
            'template/image-size',
            'error',
            `Image "${def.id}" is ${size}px ${name === 'width' ? 'wide' : 'high'}; allowed: ${min ?? 1}–${max ?? '∞'}px`,
            { ...at, property: name },
            { [name]: size, min, max },
          ),
        );
      }
    };
    bound('width', def.minWidth, def.maxWidth);
    bound('height', def.minHeight, def.maxHeight);
    const named = this.brandKit && value.assetId !== undefined ? brandLibrary(this.brandKit).imageOf(value) : undefined;
    if (named?.kind === 'unknown-asset' && !def.fromLibrary)
      // An id the library does not have is a reference to nothing, wherever the image may come from.
      this.add(
        diagnostic(
          'template/unknown-asset',
          'error',
          `Image "${def.id}" names asset "${named.assetId}", which the asset library does not have${named.didYouMean === undefined ? '' : `; did you mean "${named.didYouMean}"?`}`,
          { ...at, property: 'assetId' },
          { assetId: named.assetId, ...(named.didYouMean === undefined ? {} : { didYouMean: named.didYouMean }) },
        ),
      );
    if (def.fromLibrary) {
      if (!this.brandKit)
        this.add(
          diagnostic(
            'template/library-unknown',
            'warning',
            `Image "${def.id}" must come from the asset library; pass a brand kit to check it`,
            { ...at, property: 'src' },
          ),
        );
      else {
        const match = brandLibrary(this.brandKit).imageOf(value);
        if (match.kind !== 'asset' && match.kind !== 'logo')
          this.add(
            diagnostic(
              'template/image-library',
              'error',
              match.kind === 'mismatch'
                ? `Image "${def.id}" claims asset "${match.asset.id}", which lives at ${match.asset.url}`
                : match.kind === 'unknown-asset'
                  ? `Image "${def.id}" names asset "${match.assetId}", which the asset library does not have${match.didYouMean === undefined ? '' : `; did you mean "${match.didYouMean}"?`}`
                  : `Image "${def.id}" is not in the brand's asset library`,
              { ...at, property: 'src' },
            ),
          );
      }
    }
  }

  private checkLink(def: LinkSlotDef, value: LinkValue, at: Location): void {
    const url = checkUrl(value.href, def.allowedSchemes, def.allowRelative);
    if (!url.ok)
      this.add(
        diagnostic(
          'template/link-scheme',
          'error',
          `Link "${def.id}": ${url.reason ?? 'not allowed'}`,
          { ...at, property: 'href' },
          { allowed: def.allowedSchemes },
        ),
      );
    else if (def.allowedDomains && url.host !== undefined && !hostAllowed(url.host, def.allowedDomains)) {
      this.add(
        diagnostic(
          'template/link-domain',
          'error',
          `Link "${def.id}" must point to ${def.allowedDomains.join(', ')}, not ${url.host}`,
          { ...at, property: 'href' },
          { allowed: def.allowedDomains },
        ),
      );
    }
    if (value.text.trim() === '')
      this.add(
        diagnostic('template/empty-link-text', 'error', `Link "${def.id}" needs text that says where it goes`, {
          ...at,
          property: 'text',
        }),
      );
    this.checkText(value.text, def.maxTextLength, { ...at, property: 'text' }, `The text of link "${def.id}"`);
  }

  private checkColor(slotId: string, value: string, paletteOnly: boolean, at: Location): void {
    const color = normalizeHexColor(value);
    if (color === undefined) {
      this.add(diagnostic('template/invalid-color', 'error', `Slot "${slotId}" needs a hex colour like #0b5cad`, at));
      return;
    }
    if (!paletteOnly) return;
    if (!this.brandKit) {
      this.add(
        diagnostic(
          'template/palette-unknown',
          'warning',
          `Slot "${slotId}" must use a palette colour; pass a brand kit to check it`,
          at,
        ),
      );
      return;
    }
    if (paletteColorOf(this.brandKit.palette, color) !== undefined) return;
    const distance = differenceCiede2000();
    const nearest = this.brandKit.palette
      .map((p) => ({ ...p, hex: normalizeHexColor(p.hex) ?? p.hex }))
      .sort((a, b) => distance(color, a.hex) - distance(color, b.hex))
      .slice(0, 2);
    const suggestions: Fix[] = nearest.map((p) => ({
      description: `Use ${p.name} (${p.hex})`,
      edits: [{ start: 0, end: value.length, text: p.hex }],
    }));
    const d = diagnostic(
      'template/off-palette',
      'error',
      `${value} is not a brand colour (nearest: ${nearest.map((p) => `${p.name} ${p.hex}`).join(', ')})`,
      { ...at, property: 'color' },
    );
    d.suggestions = suggestions;
    this.add(d);
  }

  private checkFields(nodes: readonly TokenNode[], at: Location): void {
    if (this.dialects.length === 0) return;
    for (const field of fieldsOf(nodes)) {
      for (const dialect of this.dialects) {
        if (this.fieldMap[dialect][field] === undefined) {
          this.add(
            diagnostic(
              'personalization/unmapped-field',
              'error',
              `"${field}" has no ${dialect} field in the field map`,
              at,
              { dialect, field },
            ),
          );
        }
      }
    }
  }

  /** Required slots and fields must have a value in this locale, directly or by fallback. */
  private checkLocale(locale: string): void {
    const chain = localeChain(this.compiled.template, this.draft, locale);
    const resolved = resolveDraft(this.compiled, this.draft, locale);
    for (const { instance, module } of resolved.instances) {
      for (const slot of module.slots.values()) {
        if (!slot.def.required) continue;
        const r = resolveSlot(this.draft, chain, instance, module, slot);
        const empty =
          r.from === undefined ||
          r.value === '' ||
          (typeof r.value === 'object' && 'text' in r.value && r.value.text.trim() === '');
        if (empty)
          this.add(
            diagnostic(
              'template/required-slot',
              'error',
              `Slot "${slot.def.label ?? slot.def.id}" needs a value in "${locale}"`,
              {
                source: 'draft',
                locale,
                instanceId: instance.instanceId,
                moduleId: module.def.id,
                slotId: slot.def.id,
              },
            ),
          );
      }
    }
    for (const field of ['subject', 'preheader'] as const) {
      const def = this.compiled.template[field];
      if (def.required && resolveField(this.draft, chain, field, def.default).value.trim() === '') {
        this.add(
          diagnostic('template/required-field', 'error', `The ${field} needs a value in "${locale}"`, {
            source: 'draft',
            locale,
            field,
          }),
        );
      }
    }
  }
}

/** Visible length of neutral text: a token counts as its fallback, a condition as its longest branch. */
export function measure(nodes: readonly TokenNode[]): number {
  let total = 0;
  for (const node of nodes) {
    if (node.type === 'text') total += codePointLength(node.value);
    else if (node.type === 'field') total += codePointLength(node.fallback ?? '');
    else if (node.type === 'if')
      total += Math.max(...node.branches.map((b) => measure(b.body)), measure(node.otherwise ?? []));
  }
  return total;
}

function lineColumnIn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}
