import {
  DraftSchema,
  HubspokeError,
  RenderedEmailSchema,
  parse,
  type Diagnostic,
  type Draft,
  type Location,
  type RenderedEmail,
  type Template,
} from '@hubspoke/core';
import type { caniemail as caniemailFunction, Issues } from './caniemail/check.js';
import { diagnostic } from '../diagnostics.js';
import { resolveDraft } from '../draft/resolve.js';
import { loadMjml, MJML_OPTIONS } from '../mjml/load.js';
import { structureOf, type Structure } from '../render/structure.js';
import { compileTemplate } from '../template/compiled.js';
import { ENDING_TAGS, type SourceElement } from '../template/source-tree.js';
import { HtmlIndex } from './html-index.js';

/** The clients checked by default: the four families most lists are read in. */
export const DEFAULT_CLIENTS = ['gmail.*', 'outlook.*', 'apple-mail.*', 'yahoo.*'];

export interface CompatibilityOptions {
  /** caniemail client globs such as `outlook.windows`, `gmail.*`, `*.ios`; `['*']` for all 48. */
  clients?: string[];
}

/** One feature a client does not (or only partly) support, with where it occurs. */
export interface CompatibilityIssue {
  /** caniemail's feature title, e.g. `border-radius` or `<style> element`. */
  feature: string;
  support: 'none' | 'partial';
  notes: string[];
  /** How many times it occurs in what the template or spoke caused. */
  count: number;
  /** The first occurrence. */
  location: Location;
}

export interface ClientReport {
  client: string;
  unsupported: CompatibilityIssue[];
  partial: CompatibilityIssue[];
}

export interface CompatibilityReport {
  clients: ClientReport[];
  /** Occurrences left out because MJML's own scaffolding emits them for these components. */
  baselineRemoved: number;
  /** One diagnostic per feature, listing the clients (`compat/unsupported` warning, `compat/partial` suggestion). */
  diagnostics: Diagnostic[];
}

type Caniemail = typeof caniemailFunction;
let checker: Promise<Caniemail> | undefined;

/** caniemail's 300-feature data set is loaded on first use: only pay for it when checking. */
function loadCaniemail(): Promise<Caniemail> {
  return (checker ??= import('./caniemail/check.js').then((m) => m.caniemail));
}

function run(caniemail: Caniemail, html: string, clients: string[]): Issues {
  try {
    return caniemail({ clients, html });
  } catch (cause) {
    throw new HubspokeError(
      'E_VALIDATION',
      `options.clients: caniemail rejected ${JSON.stringify(clients)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { path: 'options.clients', cause },
    );
  }
}

/** Attributes that shape what MJML generates for a component rather than what the author styled. */
const SCAFFOLD_ATTRIBUTES = new Set([
  'src',
  'href',
  'name',
  'mode',
  'background-url',
  'height',
  'width',
  'background-height',
  'background-width',
  'hamburger',
  'alt',
]);

function scaffoldElement(e: SourceElement): string {
  if (!e.name.startsWith('mj-')) return '';
  const attrs = e.attrs
    .filter((a) => SCAFFOLD_ATTRIBUTES.has(a.name))
    .map((a) => ` ${a.name}="${a.value.replace(/"/g, '&quot;')}"`)
    .join('');
  if (ENDING_TAGS.has(e.name)) return `<${e.name}${attrs}>${e.name === 'mj-raw' ? '' : 'x'}</${e.name}>`;
  return `<${e.name}${attrs}>${e.children.map((c) => (c.kind === 'element' ? scaffoldElement(c) : '')).join('')}</${e.name}>`;
}

const baselines = new Map<string, Promise<Set<string>>>();

/**
 * What MJML itself emits for this structure: the same components with the author's styling,
 * head and content removed, compiled and checked. Cached per structure and client set.
 */
function scaffoldBaseline(caniemail: Caniemail, structure: Structure, clients: string[]): Promise<Set<string>> {
  const key = `${structure.key}|${clients.join(',')}`;
  let pending = baselines.get(key);
  if (!pending) {
    const body = structure.instances.map((i) => scaffoldElement(i.module.root)).join('');
    const source = `<mjml lang="${structure.lang}" dir="${structure.dir}"><mj-head><mj-title>x</mj-title>${structure.hasPreheader ? '<mj-preview>x</mj-preview>' : ''}</mj-head><mj-body>${body}</mj-body></mjml>`;
    pending = loadMjml()
      .mjml2html(source, MJML_OPTIONS)
      .then(({ html }) => {
        const issues = run(caniemail, html, clients);
        const set = new Set<string>();
        for (const [kind, map] of [
          ['none', issues.errors],
          ['partial', issues.warnings],
        ] as const) {
          for (const [client, list] of map) for (const issue of list) set.add(`${kind}|${client}|${issue.title}`);
        }
        return set;
      });
    baselines.set(key, pending);
    if (baselines.size > 32) baselines.delete(baselines.keys().next().value ?? key);
  }
  return pending;
}

/**
 * Cross-client compatibility of a rendered email from caniemail data, per client. Features that
 * MJML's own scaffolding emits for the same components are left out (counted in
 * `baselineRemoved`) unless they occur inside a slot's value, so the report shows what the
 * template or the spoke caused.
 */
export async function checkCompatibility(
  template: Template,
  draft: Draft,
  emailInput: RenderedEmail,
  options: CompatibilityOptions = {},
): Promise<CompatibilityReport> {
  const compiled = compileTemplate(template);
  const parsedDraft = parse(DraftSchema, draft, 'draft');
  const email = parse(RenderedEmailSchema, emailInput, 'email');
  const clients = options.clients ?? DEFAULT_CLIENTS;
  const structure = structureOf(
    compiled,
    resolveDraft(compiled, parsedDraft, email.locale),
    false,
    email.dialect === 'preview',
  );
  const index = new HtmlIndex(email.html, email.slotSpans ?? []);
  const caniemail = await loadCaniemail();
  const [issues, baseline] = await Promise.all([
    Promise.resolve().then(() => run(caniemail, email.html, clients)),
    scaffoldBaseline(caniemail, structure, clients),
  ]);

  let baselineRemoved = 0;
  const reports = new Map<string, ClientReport>();
  const byFeature = new Map<
    string,
    { support: 'none' | 'partial'; clients: Set<string>; location: Location; notes: Set<string> }
  >();
  for (const [support, map] of [
    ['none', issues.errors],
    ['partial', issues.warnings],
  ] as const) {
    for (const [client, list] of map) {
      const report = reports.get(client) ?? { client, unsupported: [], partial: [] };
      reports.set(client, report);
      const grouped = new Map<string, CompatibilityIssue>();
      for (const issue of list) {
        const start = issue.position ? index.offsetOf(issue.position.start.line, issue.position.start.column) : 0;
        const end = issue.position ? index.offsetOf(issue.position.end.line, issue.position.end.column) : start;
        // Only an issue inside a slot's value is the spoke's; one on the element around it is the template's.
        const location = index.location(start, Math.max(end, start), email.locale, false);
        const inSlot = location.slotId !== undefined;
        if (!inSlot && baseline.has(`${support}|${client}|${issue.title}`)) {
          baselineRemoved += 1;
          continue;
        }
        const existing = grouped.get(issue.title);
        if (existing) existing.count += 1;
        else grouped.set(issue.title, { feature: issue.title, support, notes: issue.notes, count: 1, location });
        const feature = byFeature.get(`${support}|${issue.title}`) ?? {
          support,
          clients: new Set<string>(),
          location,
          notes: new Set<string>(),
        };
        feature.clients.add(client);
        for (const n of issue.notes) feature.notes.add(n);
        byFeature.set(`${support}|${issue.title}`, feature);
      }
      (support === 'none' ? report.unsupported : report.partial).push(...grouped.values());
    }
  }
  const diagnostics = [...byFeature].map(([key, f]) => {
    const title = key.slice(key.indexOf('|') + 1);
    const clientList = [...f.clients].sort();
    return f.support === 'none'
      ? diagnostic(
          'compat/unsupported',
          'warning',
          `${title} is not supported in ${clientList.join(', ')}`,
          f.location,
          { feature: title, clients: clientList, notes: [...f.notes] },
        )
      : diagnostic(
          'compat/partial',
          'suggestion',
          `${title} is only partly supported in ${clientList.join(', ')}`,
          f.location,
          { feature: title, clients: clientList, notes: [...f.notes] },
        );
  });
  return {
    clients: [...reports.values()].sort((a, b) => a.client.localeCompare(b.client)),
    baselineRemoved,
    diagnostics,
  };
}
