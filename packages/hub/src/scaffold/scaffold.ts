import { existsSync } from 'node:fs';
import path from 'node:path';
import { HubspokeError, jsonSchemaFiles, jsonSchemaFor } from '@hubspoke/core';
import { lintConfigJsonSchema } from '@hubspoke/brand-rules';
import { CONFIG_FILES } from '../config.js';
import { writeFileAtomic } from '../io/write-file.js';
import { exampleDraft } from './example-draft.js';
import { brandKit, config, okrs, sampleMetricsCsv, workflow } from './hub-files.js';
import { announcementTemplate, newsletterTemplate } from './templates.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The JSON Schemas of the files a hub keeps, in its own `schemas/` folder: every `$schema` is a
 * path relative to its file, so editors resolve it wherever the hub folder sits (no install needed).
 */
export function schemaFiles(): [string, string][] {
  const core = ['hubspoke-config', 'brand-kit', 'workflow-def', 'okr-set', 'draft'] as const;
  return [
    ...core.map((f): [string, string] => [`schemas/${f}.json`, json(jsonSchemaFor(jsonSchemaFiles[f]))]),
    ['schemas/lint-config.json', json(lintConfigJsonSchema())],
  ];
}

/** Every file of the example hub (Northwind Trails), relative to its folder. */
export function scaffoldFiles(): [string, string][] {
  return [
    ['hubspoke.config.json', json({ ...config, lint: 'brand/lint.json' })],
    ['brand/brand-kit.json', json({ $schema: '../schemas/brand-kit.json', ...brandKit })],
    [
      'brand/lint.json',
      json({
        $schema: '../schemas/lint-config.json',
        extends: ['hubspoke/recommended'],
        rules: { 'brand/link-utm': 'error' },
      }),
    ],
    ['templates/seasonal-newsletter.mjml', newsletterTemplate],
    ['templates/announcement.mjml', announcementTemplate],
    ['workflow.json', json({ $schema: './schemas/workflow-def.json', ...workflow })],
    ['okrs.json', json({ $schema: './schemas/okr-set.json', ...okrs })],
    [`drafts/${exampleDraft.id}.json`, json({ $schema: '../schemas/draft.json', ...exampleDraft })],
    ['metrics/sample.csv', sampleMetricsCsv],
    ['.gitignore', '.hubspoke/\nout/\n'],
    ...schemaFiles(),
  ];
}

/**
 * Writes the example hub into `dir` (created when missing). Without `force`, `E_CONFLICT` names
 * the first file (or config) that already exists, and nothing is written.
 */
export async function scaffoldHub(dir: string, options: { force?: boolean } = {}): Promise<string[]> {
  const files = scaffoldFiles();
  if (options.force !== true) {
    const clash = [...CONFIG_FILES, ...files.map(([f]) => f)].find((f) => existsSync(path.join(dir, f)));
    if (clash !== undefined)
      throw new HubspokeError('E_CONFLICT', `init: ${clash} already exists`, {
        path: clash,
        details: { reason: 'exists' },
        hint: 'init into an empty folder, or pass --force to overwrite',
      });
  }
  for (const [file, text] of files) await writeFileAtomic(path.join(dir, file), text);
  return files.map(([f]) => f);
}

export { exampleDraft };
export { brandKit as exampleBrandKit, principals as examplePrincipals } from './hub-files.js';
