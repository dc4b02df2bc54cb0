import { createHash } from 'node:crypto';
import {
  canonicalJson,
  compareDiagnostics,
  countDiagnostics,
  type Diagnostic,
  type DiagnosticCounts,
  type Draft,
  type Principal,
  type RenderedEmail,
  type Severity,
  type Template,
} from '@hubspoke/core';
import {
  createLinter,
  defineConfig,
  type Baseline,
  type LintConfig,
  type Linter,
  type LintResult,
} from '@hubspoke/brand-rules';
import { render, validateDraft } from '@hubspoke/template-engine';
import { readJson } from './config/files.js';
import { inFile, type Project } from './project.js';

/** The locales a draft has content for, default first. */
export function localesOf(draft: Draft): string[] {
  const rest = Object.keys(draft.content)
    .filter((l) => l !== draft.defaultLocale)
    .sort();
  return [draft.defaultLocale, ...rest];
}

/**
 * SHA-256 of what an approval pins: the draft's content and arrangement and the content of the
 * template version it pins (a template edited in place must be reviewed again before a push).
 */
export function draftHash(draft: Draft, template: Template): string {
  const { modules, content, defaultLocale } = draft;
  const { source: _source, ...templateContent } = template;
  return `sha256:${createHash('sha256')
    .update(canonicalJson({ template: templateContent, modules, content, defaultLocale }))
    .digest('hex')}`;
}

export interface DraftCheck {
  file: string;
  draft: Draft;
  template: Template;
  /** Template validation and brand rules together, sorted by location. */
  diagnostics: Diagnostic[];
  counts: DiagnosticCounts;
  failed: boolean;
  minLevel: Severity;
  lint: LintResult;
  rendered: RenderedEmail[];
}

const linters = new WeakMap<Project, Promise<Linter>>();

/** The brand linter for the hub: the configured lint file, or the recommended preset. */
export function linterFor(project: Project): Promise<Linter> {
  let linter = linters.get(project);
  if (linter === undefined) {
    linter = (async () => {
      const brandKit = await project.brandKit();
      const lintFile = project.config.lint;
      const config =
        lintFile === undefined
          ? defineConfig({ extends: ['hubspoke/recommended'] })
          : await inFile(lintFile, async () =>
              defineConfig((await readJson(project.path(lintFile), 'lint config')) as LintConfig),
            );
      return createLinter({ brandKit, config });
    })();
    linters.set(project, linter);
  }
  return linter;
}

export interface CheckOptions {
  fix?: boolean;
  baseline?: Baseline;
  principal?: Principal;
  now?: Date;
}

/** Validates a draft against its template and lints it (content and rendered HTML) against the brand. */
export async function checkDraft(
  project: Project,
  file: string,
  draft: Draft,
  options: CheckOptions = {},
): Promise<DraftCheck> {
  const template = await project.template(draft.template.id, draft.template.version);
  const brandKit = await project.brandKit();
  const validation = validateDraft(template, draft, { brandKit });
  const rendered: RenderedEmail[] = [];
  // Rendering needs a structurally valid draft; validation has reported why when it is not.
  if (!validation.some((d) => d.severity === 'error' && d.ruleId.startsWith('draft/'))) {
    for (const locale of localesOf(draft)) {
      rendered.push(await render(template, draft, { locale, dialect: 'preview', fieldMap: project.config.fieldMap }));
    }
  }
  const linter = await linterFor(project);
  const lint = linter.lint({
    draft,
    rendered,
    template,
    file: project.show(file),
    fix: options.fix === true,
    ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
    ...(options.principal === undefined
      ? {}
      : { principal: options.principal, operatingModel: await project.operatingModel() }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const located = validation.map((d) => ({ ...d, location: { file: project.show(file), ...d.location } }));
  // Rendering findings (size, accessibility, compatibility) belong to `render`'s reports.
  const diagnostics = [...located, ...lint.diagnostics].sort(compareDiagnostics);
  const rank: Record<Severity, number> = { error: 0, warning: 1, suggestion: 2 };
  const failed = diagnostics.some((d) => rank[d.severity] <= rank[lint.minLevel]);
  return {
    file,
    draft: lint.fixed?.draft ?? draft,
    template,
    diagnostics,
    counts: countDiagnostics(diagnostics),
    failed,
    minLevel: lint.minLevel,
    lint,
    rendered,
  };
}
