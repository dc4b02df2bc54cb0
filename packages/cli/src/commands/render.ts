import type { CommandSpec } from '../program.js';
import { DIALECTS } from './choices.js';

export const renderCommand: CommandSpec = {
  name: 'render',
  description:
    'render drafts for every locale × dialect into a folder, with size, accessibility and compatibility reports',
  examples: [
    'hubspoke render',
    'hubspoke render drafts/austin-store-opening.json --dialect marketo,sfmc',
    'hubspoke render --dialect braze --locale en-US --out out/braze',
  ],
  define: (c) =>
    c
      .argument('[drafts...]', 'draft files or ids (default: every draft)')
      .option('-d, --dialect <list>', `comma-separated: ${DIALECTS.join(', ')}`, 'preview')
      .option('-l, --locale <list>', 'comma-separated locales (default: every locale of the draft)')
      .option('-o, --out <dir>', 'output folder (default: <outDir>/render)')
      .option('--contact <id>', 'preview only: fill tokens with this sample contact'),
  run: (ctx, args, options) => import('../actions/render.js').then((action) => action.run(ctx, args, options)),
};
