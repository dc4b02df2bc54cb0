import type { CommentInput } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { printResult } from '../output/review.js';
import type { CommandSpec } from '../program.js';
import { principalOf, withHub } from './hub-context.js';

/** The comment the options describe; usage errors before any work. */
function inputOf(text: string | undefined, options: Record<string, unknown>): CommentInput {
  if (typeof options.resolve === 'string') return { resolve: options.resolve };
  if (typeof options.reopen === 'string') return { reopen: options.reopen };
  if (text === undefined || text.trim() === '')
    throw new UsageError('comment needs text, or --resolve/--reopen <commentId>');
  const slot = typeof options.slot === 'string' ? options.slot.split('/') : [];
  if (slot.length > 2 || slot.some((part) => part === ''))
    throw new UsageError(`--slot: expected <instance>/<slot>, e.g. message-1/body, got "${String(options.slot)}"`);
  const [instanceId, slotId] = slot;
  if (typeof options.locale === 'string' && instanceId === undefined)
    throw new UsageError('--locale anchors a comment together with --slot <instance>/<slot>');
  return {
    text,
    ...(instanceId === undefined
      ? {}
      : {
          anchor: {
            instanceId,
            ...(slotId === undefined ? {} : { slotId }),
            ...(typeof options.locale === 'string' ? { locale: options.locale } : {}),
          },
        }),
    ...(typeof options.replyTo === 'string' ? { parentId: options.replyTo } : {}),
    mentions: Array.isArray(options.mention) ? (options.mention as string[]) : [],
  };
}

export const run: CommandSpec['run'] = (ctx, [ref, text], options) => {
  const input = inputOf(text, options);
  return withHub(ctx, options, async (hub) => {
    const { result, commentId } = await hub.comment(await principalOf(ctx, hub, options), ref ?? '', input);
    const what = 'resolve' in input ? 'resolved' : 'reopen' in input ? 'reopened' : 'recorded';
    printResult(ctx, result, `comment ${commentId} ${what} on ${result.submissionId}`);
    return EXIT.ok;
  });
};
