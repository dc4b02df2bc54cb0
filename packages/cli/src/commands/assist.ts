import type { CommandSpec } from '../program.js';
import { withActor } from './options.js';

export const assistCommand: CommandSpec = {
  name: 'assist',
  description:
    'suggest subject lines or preheaders, alt text, or a translation for a draft; every suggestion passes the brand rules (offline provider unless configured)',
  examples: [
    'hubspoke assist subject austin-store-opening --count 3 --tone friendly',
    'hubspoke assist preheader austin-store-opening',
    'hubspoke assist alt-text austin-store-opening',
    'hubspoke assist translate austin-store-opening --to de-DE   # prints it; --write saves it to the draft',
  ],
  define: (c) =>
    withActor(
      c
        .argument('<task>', 'subject, preheader, alt-text or translate')
        .argument('<draft>', 'draft file or id')
        .option('--count <n>', 'subject or preheader: how many variants (1-10)', '5')
        .option('--tone <tone>', 'subject or preheader: neutral, friendly, urgent, playful or formal', 'neutral')
        .option('--locale <locale>', "the locale to write for (default: the draft's default locale)")
        .option('--to <locales>', 'translate: the target locales, comma-separated')
        .option('--write', 'alt-text or translate: save the result to the draft')
        .option(
          '--provider <name>',
          'offline (rule-based, no network; the default) or openai (HUBSPOKE_AI_BASE_URL, HUBSPOKE_AI_MODEL, HUBSPOKE_AI_API_KEY)',
          'offline',
        ),
      'who saves the draft with --write (or HUBSPOKE_AS)',
    ),
  run: (ctx, args, options) => import('../actions/assist.js').then((action) => action.run(ctx, args, options)),
};
