import { access } from 'node:fs/promises';
import path from 'node:path';
import { HubspokeError, type Diagnostic, type Principal, type Template } from '@hubspoke/core';
import {
  compareImport,
  folderIncludes,
  importMjml,
  type ImportDecision,
  type ImportedModule,
} from '@hubspoke/template-engine';
import { FolderSource } from './definition/folder-source.js';
import type { Hub } from './hub.js';
import { readText } from './io/files.js';
import { writeFileAtomic } from './io/write-file.js';

export interface ImportTemplateOptions {
  /** Template id (default: from the file name). */
  id?: string;
  /** Template name (default: the email's title). */
  name?: string;
  /** Report what would be imported, write nothing. */
  dryRun?: boolean;
  /** Folder hub: replace an existing template file of the same id. */
  force?: boolean;
}

export interface ImportTemplateOutcome {
  ok: boolean;
  template?: Template;
  modules: ImportedModule[];
  decisions: ImportDecision[];
  diagnostics: Diagnostic[];
  /** The default draft against mjml2html of the email (see template-engine's compareImport). */
  check?: { identical: boolean; equal: boolean; sameText: boolean };
  /** The MJML with hs-* declarations. */
  source: string;
  /** Folder hub: the template file written (not with `dryRun`). */
  written?: string;
  /** Store hub: whether a new template version was published. */
  published?: { created: boolean };
}

/**
 * Imports an MJML email as a governed template (`template.publish`): template-engine's
 * `importMjml` with mj-include read from the hub folder only, the import invariant checked, then
 * a folder hub gets `<templates>/<id>.mjml` (an existing file is `E_CONFLICT` without `force`) and
 * a store hub a published template version.
 */
export async function importTemplate(
  hub: Hub,
  principal: Principal,
  file: string,
  options: ImportTemplateOptions = {},
): Promise<ImportTemplateOutcome> {
  await hub.authorize(principal, 'template.publish');
  const absolute = path.resolve(hub.dir, file);
  const email = await readText(absolute, 'email');
  const relative = path.relative(hub.dir, absolute);
  // Paths inside the hub folder resolve their includes from where they are; others from the folder.
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? path.basename(absolute) : relative;
  const includes = folderIncludes(hub.dir);
  const result = importMjml(email, {
    file: shown.split(path.sep).join('/'),
    includes,
    ...(options.id !== undefined && { id: options.id }),
    ...(options.name !== undefined && { name: options.name }),
  });
  const outcome: ImportTemplateOutcome = {
    ok: result.ok,
    modules: result.modules,
    decisions: result.decisions,
    diagnostics: result.diagnostics,
    source: result.source,
    ...(result.template && { template: result.template }),
  };
  if (!result.template) return outcome;
  const check = await compareImport(email, result.template, { file: shown.split(path.sep).join('/'), includes });
  outcome.check = { identical: check.identical, equal: check.equal, sameText: check.sameText };
  if (options.dryRun === true || !result.ok) return outcome;
  if (hub.source.kind === 'store') {
    outcome.published = { created: (await hub.publishTemplate(principal, result.source)).created };
    return outcome;
  }
  const source = hub.source;
  if (!(source instanceof FolderSource))
    throw new HubspokeError('E_UNSUPPORTED', `import a template: a ${source.kind} hub keeps no template files`);
  const target = path.join(source.path(source.config.templates), `${result.template.id}.mjml`);
  if (options.force !== true && (await exists(target)))
    throw new HubspokeError(
      'E_CONFLICT',
      `template ${source.show(target)} exists already: choose another id or replace it with force`,
      { path: target },
    );
  await writeFileAtomic(target, result.source);
  hub.invalidate();
  outcome.written = target;
  return outcome;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
