import type { BrandKit, Diagnostic, Draft, Location, RenderedEmail, Severity, Template } from '@hubspoke/core';
import type { z } from 'zod';
import type { Escape, OffsetMap } from './document/source-text.js';

/** A rule's configured level: a diagnostic severity, or `off`. */
export type Level = Severity | 'off';

/**
 * Where text lives in an email. `module:<id>` and `slot:<id>` name template modules and slots;
 * a leading `~` negates (`~footer`).
 */
export type ScopeName =
  | 'subject'
  | 'preheader'
  | 'heading'
  | 'body'
  | 'cta'
  | 'alt'
  | 'link.href'
  | 'footer'
  | `module:${string}`
  | `slot:${string}`;

/** A slot's role, for scopes: taken from `hs-role`, the element it sits in, or the config. */
export type SlotRole = 'heading' | 'cta' | 'footer' | 'body';

/** Where a text unit came from, and how to write a fix back. */
export type UnitOrigin =
  | { kind: 'field'; field: 'subject' | 'preheader'; source: 'draft' | 'rendered' }
  | { kind: 'slot'; instanceId: string; slotId: string; property?: 'text' | 'href' | 'alt' | 'src' }
  | { kind: 'html'; source: 'rendered' | 'slot'; instanceId?: string; slotId?: string };

/**
 * One run of text the rules see: a subject, a slot value, an alt text, a link href, or a block
 * of rendered HTML (a paragraph, a heading, a button). Extracted once per lint.
 */
export interface TextUnit {
  /** The text as a reader sees it (entities decoded, tags removed). */
  readonly text: string;
  /** Scope names this unit belongs to, e.g. `body`, `heading`, `module:hero`, `slot:headline`. */
  readonly scopes: ReadonlySet<string>;
  /** The base location every finding in this unit gets (locale, instance, slot, field…). */
  readonly location: Location;
  /** Maps ranges of `text` back to the located source text. */
  readonly map: OffsetMap;
  /** How a replacement must be escaped to go into the source. */
  readonly escape: Escape;
  /** Visual facts for HTML text: colour, background and font size (px) per segment. */
  readonly segments?: readonly TextSegment[];
}

/** A contiguous piece of a unit's text with the styles it is shown in. */
export interface TextSegment {
  readonly start: number;
  readonly end: number;
  readonly color: string | undefined;
  readonly background: string | undefined;
  readonly fontSizePx: number | undefined;
  readonly bold: boolean;
  /** Where the colour was declared, for suggestions. */
  readonly colorDeclaration?: DeclarationRef | undefined;
}

/** A CSS value or attribute in a source text, located lazily. */
export interface DeclarationRef {
  /** Location of the source text (html or a rich-text slot). */
  readonly location: Location;
  /** The value's [start, end) offsets in that text. */
  readonly start: number;
  readonly end: number;
  readonly value: string;
  readonly property: string;
}

/** An image in a slot value or in HTML. */
export interface ImageRef {
  readonly src: string;
  readonly alt: string | undefined;
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly assetId?: string | undefined;
  /** The image is the only content of a link (its alt is then the link's name). */
  readonly linked: boolean;
  /** The background colour behind it (`#rrggbb`), when the HTML around it sets one. */
  readonly background?: string | undefined;
  readonly location: Location;
  /** Where `alt` is (or where to insert it), for fixes. */
  readonly altTarget: EditTarget;
  readonly srcTarget: EditTarget;
}

/** A link in a slot value or in HTML. */
export interface LinkRef {
  readonly href: string;
  readonly text: string;
  readonly location: Location;
  readonly hrefTarget: EditTarget;
  readonly scopes: ReadonlySet<string>;
}

/** Where an edit goes: a location plus the [start,end) of the current value in it. */
export interface EditTarget {
  readonly location: Location;
  readonly start: number;
  readonly end: number;
  readonly escape: Escape;
  /** When the value does not exist yet, the text to insert around the new value. */
  readonly insert?: { readonly before: string; readonly after: string } | undefined;
}

/** A colour or font declaration in HTML, a rich-text slot, or a colour slot. */
export interface StyleDeclaration {
  readonly property: string;
  readonly value: string;
  readonly ref: DeclarationRef;
  /** `heading` when the element is a heading, for font roles. */
  readonly scopes: ReadonlySet<string>;
}

/** A term for the shared matcher. */
export interface TermSpec<Payload = unknown> {
  readonly term: string;
  readonly caseSensitive: boolean;
  /** Match inside words too (Vale's `nonword`). Default: whole words only. */
  readonly nonword?: boolean | undefined;
  /** Only in these locales (`de` also covers `de-AT`). */
  readonly locales?: readonly string[] | undefined;
  readonly payload: Payload;
}

export interface TermMatch<Payload = unknown> {
  readonly unit: TextUnit;
  readonly start: number;
  readonly end: number;
  /** The text as written. */
  readonly text: string;
  readonly spec: TermSpec<Payload>;
}

/** An edit on a location's text. `start`/`end` are relative to the located text. */
export interface FixDescriptor {
  readonly description: string;
  readonly target: EditTarget;
  readonly text: string;
}

export interface ReportDescriptor {
  /** A key of `meta.messages`; or give `message` directly. */
  readonly messageId?: string;
  readonly message?: string;
  readonly data?: Record<string, string | number>;
  /** Where: a unit range, or a location. */
  readonly at:
    { readonly unit: TextUnit; readonly start: number; readonly end: number } | { readonly location: Location };
  readonly fix?: FixDescriptor | undefined;
  readonly suggest?: readonly FixDescriptor[] | undefined;
  /** Machine-readable facts copied into `Diagnostic.data`. */
  readonly facts?: Record<string, unknown>;
}

/** What a rule sees of one locale of one email. */
export interface LintDocument {
  readonly locale: string;
  readonly region: string | undefined;
  readonly units: readonly TextUnit[];
  /** HTML text with colours and sizes, for visual checks (contrast, font size). */
  readonly visual: readonly TextUnit[];
  readonly images: readonly ImageRef[];
  readonly links: readonly LinkRef[];
  readonly styles: readonly StyleDeclaration[];
  /** Hub-owned template text of the modules in use (for legal text and locked content). */
  readonly hubText: readonly TextUnit[];
  /** The rendered plain-text part, when a rendered email was given. */
  readonly plainText: string | undefined;
  /** Elements left unclosed in HTML sources. */
  readonly syntaxIssues: readonly { readonly message: string; readonly location: Location }[];
}

export interface RuleContext<Options> {
  readonly id: string;
  readonly options: Options;
  readonly severity: Severity;
  readonly brandKit: BrandKit;
  readonly template: Template | undefined;
  readonly draft: Draft | undefined;
  readonly rendered: RenderedEmail | undefined;
  readonly document: LintDocument;
  readonly locale: string;
  readonly region: string | undefined;
  /** Today, for expiry checks (`lint({ now })`). */
  readonly now: Date;
  /** Units of this locale in the rule's scope. */
  readonly units: readonly TextUnit[];
  /** Units in another scope selection, e.g. `['footer']`. Computed once per selection. */
  unitsIn(scope: readonly string[]): readonly TextUnit[];
  report(descriptor: ReportDescriptor): void;
  /** An edit target for [start, end) of a unit's text, or `undefined` when that range is not one unbroken stretch of the source (it crosses a tag or an entity). */
  unitTarget(unit: TextUnit, start: number, end: number): EditTarget | undefined;
}

/** Visitors a rule returns from `create`. Every one is optional. */
export interface RuleVisitors<Payload = unknown> {
  /** Every text unit in the rule's scope. */
  text?(unit: TextUnit): void;
  /** Every match of the rule's `terms` in its scope. */
  term?(match: TermMatch<Payload>): void;
  image?(image: ImageRef): void;
  link?(link: LinkRef): void;
  style?(declaration: StyleDeclaration): void;
  /** After every other visitor, once per locale. */
  end?(): void;
}

export interface RuleDocs {
  readonly description: string;
  readonly recommended?: boolean;
  readonly url?: string;
}

export interface RuleMeta<Options> {
  /** `problem`: breaks the brand or the law; `suggestion`: could be better; `layout`: presentation. */
  readonly type: 'problem' | 'suggestion' | 'layout';
  readonly docs: RuleDocs;
  /** Required when the rule reports `fix`. */
  readonly fixable?: 'code' | 'whitespace';
  /** Required when the rule reports `suggest`. */
  readonly hasSuggestions?: boolean;
  readonly messages: Readonly<Record<string, string>>;
  /** Validates the rule's options; its defaults are the rule's defaults. */
  readonly schema?: z.ZodType<Options>;
  /** Default scope (negations allowed); config may replace it with `scope`. */
  readonly scope?: readonly string[];
  /** Whether a permitted principal may override this rule's errors (default true). */
  readonly overridable?: boolean;
}

export interface RuleModule<Options = unknown, Payload = unknown> {
  readonly meta: RuleMeta<Options>;
  /** Terms compiled once per linter into the shared per-scope matcher; matches go to `term`. */
  terms?(options: Options, brandKit: BrandKit): readonly TermSpec<Payload>[];
  create(context: RuleContext<Options>): RuleVisitors<Payload>;
}

/** A diagnostic an inline comment suppressed, with the reason given. */
export interface SuppressedDiagnostic {
  readonly diagnostic: Diagnostic;
  readonly reason: string;
  readonly directive: Location;
}
