import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  canonicalJson,
  HubspokeError,
  isHubspokeError,
  operatingModelPresets,
  type OperatingModel,
  type Principal,
} from '@hubspoke/core';
import { CONFIG_FILES } from './config.js';
import type { Hub } from './hub.js';
import { writeFileAtomic } from './io/write-file.js';
import type { HubStore } from './store/hub-store.js';

export interface ImportReport {
  templates: { created: number; changed: number };
  drafts: { created: number; updated: number; unchanged: number };
  workflows: number;
  okrs: boolean;
}

/** A preset's name when the model is exactly that preset, else the model. */
function modelSetting(model: OperatingModel): string | OperatingModel {
  const preset = (operatingModelPresets as Record<string, OperatingModel | undefined>)[model.id];
  return preset !== undefined && canonicalJson(preset) === canonicalJson(model) ? model.id : model;
}

async function optional<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (e) {
    if (isHubspokeError(e, 'E_NOT_FOUND')) return undefined;
    throw e;
  }
}

/** Who may copy a whole hub: its workflow, templates and brand kit are all replaced. */
export const IMPORT_ACTIONS = ['workflow.edit', 'template.publish', 'brandKit.edit'] as const;

/**
 * Copies a hub (typically a folder hub from `loadHub`) into a HubStore: settings, brand kit, lint
 * config, every template version (a version edited in place replaces the stored one), the
 * workflow, operating model, directory, OKRs and drafts (a changed draft gets a new version, at
 * least the file's). The principal needs `workflow.edit`, `template.publish` and `brandKit.edit`
 * under the imported hub's operating model. Every part is read and validated before anything is written.
 */
export async function importHub(from: Hub, into: HubStore, principal: Principal): Promise<ImportReport> {
  for (const action of IMPORT_ACTIONS) await from.authorize(principal, action);
  const actor = principal.id;
  const [settings, brandKit, lint, templates, workflows, model, directory, okrs, drafts] = await Promise.all([
    from.settings(),
    from.brandKit(),
    from.source.lintConfig(),
    from.templates(),
    from.workflows(),
    from.operatingModel(),
    from.directory(),
    optional(() => from.okrs()),
    from.drafts(),
  ]);
  const report: ImportReport = {
    templates: { created: 0, changed: 0 },
    drafts: { created: 0, updated: 0, unchanged: 0 },
    workflows: workflows.length,
    okrs: okrs !== undefined,
  };
  await into.putDocument('settings', '', settings, actor);
  await into.putBrandKit(brandKit, actor);
  if (lint !== undefined) await into.putDocument('lint', '', lint, actor);
  for (const { template, source } of templates) {
    const put = await into.putTemplate(template, source, actor, { replace: true });
    if (put.created) report.templates.created += 1;
    else if (put.changed) report.templates.changed += 1;
  }
  for (const workflow of workflows)
    await into.putDocument('workflow', `${workflow.id}@${workflow.version}`, workflow, actor);
  await into.putDocument('operatingModel', '', modelSetting(model), actor);
  await into.putDocument('directory', '', directory, actor);
  if (okrs !== undefined) await into.putDocument('okrs', '', okrs, actor);
  for (const { draft } of drafts) {
    const existing = await into.getDraft(draft.id);
    if (existing === undefined) {
      await into.createDraft(draft, actor, { keepVersion: true });
      report.drafts.created += 1;
    } else if (canonicalJson({ ...existing.draft, version: 0 }) === canonicalJson({ ...draft, version: 0 })) {
      report.drafts.unchanged += 1;
    } else {
      await into.updateDraft(draft, existing.version, actor, { version: draft.version });
      report.drafts.updated += 1;
    }
  }
  return report;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes a hub as the folder layout `hubspoke` reads (`hubspoke.config.json`, `brand/`,
 * `templates/*.mjml`, `workflow.json`, `okrs.json`, `drafts/*.json`), so it can live in git. A
 * folder holds one workflow file: the newest version is written. Without `force`, `E_CONFLICT`
 * when the folder already holds a hub config.
 */
export async function exportHub(from: Hub, dir: string, options: { force?: boolean } = {}): Promise<string[]> {
  if (options.force !== true) {
    const clash = CONFIG_FILES.find((f) => existsSync(path.join(dir, f)));
    if (clash !== undefined)
      throw new HubspokeError('E_CONFLICT', `export: ${path.join(dir, clash)} already exists`, {
        path: clash,
        details: { reason: 'exists' },
        hint: 'export into an empty folder, or pass --force to overwrite',
      });
  }
  const [settings, brandKit, lint, templates, workflow, model, directory, okrs, drafts] = await Promise.all([
    from.settings(),
    from.brandKit(),
    from.source.lintConfig(),
    from.templates(),
    from.workflow(),
    from.operatingModel(),
    from.directory(),
    optional(() => from.okrs()),
    from.drafts(),
  ]);
  const files: [string, string][] = [];
  const setting = modelSetting(model);
  const config = {
    schemaVersion: 1,
    brandKit: 'brand/brand-kit.json',
    ...(lint === undefined ? {} : { lint: 'brand/lint.json' }),
    templates: 'templates',
    drafts: 'drafts',
    workflow: 'workflow.json',
    operatingModel: typeof setting === 'string' ? setting : 'operating-model.json',
    ...(okrs === undefined ? {} : { okrs: 'okrs.json' }),
    ...settings,
    principals: directory,
  };
  files.push(['hubspoke.config.json', json(config)], ['brand/brand-kit.json', json(brandKit)]);
  if (lint !== undefined) files.push(['brand/lint.json', json(lint)]);
  if (typeof setting !== 'string') files.push(['operating-model.json', json(setting)]);
  files.push(['workflow.json', json(workflow)]);
  if (okrs !== undefined) files.push(['okrs.json', json(okrs)]);
  const versions = new Map<string, number>();
  for (const { template } of templates) versions.set(template.id, (versions.get(template.id) ?? 0) + 1);
  for (const { template, source } of templates) {
    const text = source ?? template.source;
    if (text === undefined)
      throw new HubspokeError(
        'E_UNSUPPORTED',
        `template ${template.id}@${template.version} has no MJML source to export`,
      );
    const name = versions.get(template.id) === 1 ? template.id : `${template.id}.v${template.version}`;
    files.push([`templates/${name}.mjml`, text]);
  }
  for (const { draft } of drafts) files.push([`drafts/${draft.id}.json`, json(draft)]);
  for (const [file, text] of files) await writeFileAtomic(path.join(dir, file), text);
  return files.map(([f]) => f);
}
