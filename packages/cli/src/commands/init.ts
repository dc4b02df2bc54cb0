import { existsSync } from 'node:fs';
import path from 'node:path';
import { HubspokeError } from '@hubspoke/core';
import { exampleDraft } from '../init/example-draft.js';
import { brandKit, config, okrs, sampleMetricsCsv, workflow } from '../init/hub-files.js';
import { announcementTemplate, newsletterTemplate } from '../init/templates.js';
import { CONFIG_FILES } from '../config/load-config.js';
import { EXIT } from '../output/exit-codes.js';
import { writeFileAtomic } from '../output/write-file.js';
import type { CommandSpec } from '../program.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every file of a new hub, relative to its folder. */
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

export const initCommand: CommandSpec = {
  name: 'init',
  description: 'scaffold a working hub: brand kit, two templates, workflow, OKRs, an example draft and the config',
  examples: ['hubspoke init', 'hubspoke init my-hub', 'hubspoke init --force   # overwrite an existing hub'],
  define: (c) => c.argument('[dir]', 'folder to create the hub in', '.').option('--force', 'overwrite existing files'),
  async run(ctx, [dir], options) {
    const root = path.resolve(ctx.cwd, dir ?? '.');
    const files = scaffoldFiles();
    if (options.force !== true) {
      const clash = [...CONFIG_FILES.map((f) => path.join(root, f)), ...files.map(([f]) => path.join(root, f))].find(
        (f) => existsSync(f),
      );
      if (clash !== undefined) {
        throw new HubspokeError('E_CONFLICT', `init: ${path.relative(ctx.cwd, clash) || clash} already exists`, {
          hint: 'init into an empty folder, or pass --force to overwrite',
        });
      }
    }
    for (const [file, text] of files) await writeFileAtomic(path.join(root, file), text);
    if (ctx.globals.json) {
      ctx.term.printJson({ ok: true, dir: root, files: files.map(([f]) => f) });
      return EXIT.ok;
    }
    const relative = path.relative(ctx.cwd, root);
    const where = relative === '' ? '.' : relative.startsWith('..') ? root : relative;
    ctx.term.out(`Created a hub for ${brandKit.name} in ${where}:`);
    for (const [file] of files) ctx.term.out(`  ${file}`);
    ctx.term.out('');
    ctx.term.out('Next:');
    if (where !== '.') ctx.term.out(`  cd ${where}`);
    ctx.term.out('  hubspoke lint                                   # check every draft');
    ctx.term.out('  hubspoke render --dialect marketo,sfmc          # render each locale × platform');
    ctx.term.out(`  hubspoke submit ${exampleDraft.id} --as jo     # start the review`);
    ctx.term.out('  hubspoke preview austin-store-opening --as sam  # look at it in a browser');
    return EXIT.ok;
  },
};
