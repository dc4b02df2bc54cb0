import { existsSync } from 'node:fs';
import path from 'node:path';
import { HubspokeError } from '@hubspoke/core';
import { CONFIG_FILES } from '../config.js';
import { writeFileAtomic } from '../io/write-file.js';
import { exampleDraft } from './example-draft.js';
import { brandKit, config, okrs, sampleMetricsCsv, workflow } from './hub-files.js';
import { announcementTemplate, newsletterTemplate } from './templates.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every file of the example hub (Northwind Trails), relative to its folder. */
export function scaffoldFiles(): [string, string][] {
  return [
    ['hubspoke.config.json', json({ ...config, lint: 'brand/lint.json' })],
    [
      'brand/brand-kit.json',
      json({ $schema: '../node_modules/@hubspoke/core/dist/schemas/brand-kit.json', ...brandKit }),
    ],
    ['brand/lint.json', json({ extends: ['hubspoke/recommended'], rules: { 'brand/link-utm': 'error' } })],
    ['templates/seasonal-newsletter.mjml', newsletterTemplate],
    ['templates/announcement.mjml', announcementTemplate],
    ['workflow.json', json({ $schema: './node_modules/@hubspoke/core/dist/schemas/workflow-def.json', ...workflow })],
    ['okrs.json', json({ $schema: './node_modules/@hubspoke/core/dist/schemas/okr-set.json', ...okrs })],
    [`drafts/${exampleDraft.id}.json`, json(exampleDraft)],
    ['metrics/sample.csv', sampleMetricsCsv],
    ['.gitignore', '.hubspoke/\nout/\n'],
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
