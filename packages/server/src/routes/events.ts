import type { Change } from '@hubspoke/hub';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { requireAuth, type AppContext, type AppEnv, type ServerContext } from '../context.js';
import type { Interest, LiveFeed } from '../live.js';
import { problems } from '../problem.js';
import { IdParam, RefParam } from '../schemas.js';

export interface EventOptions {
  /** A comment line this often keeps proxies from closing an idle stream. Default 15 s. */
  heartbeatMs: number;
}

interface SseEvent {
  event: string;
  data: unknown;
}

const LAST_EVENT_ID = /^\d{1,19}$/;

/** The events one change becomes on a draft's stream: the save and its lint, or the review step. */
async function draftEvents(ctx: ServerContext, change: Change, lint: LintCache): Promise<SseEvent[]> {
  if (change.kind === 'submission') return [reviewEvent(change)];
  const events: SseEvent[] = [
    { event: 'draft', data: { draftId: change.key, version: change.version, actor: change.actor, at: change.at } },
  ];
  if (change.version !== undefined) {
    const check = await lint.get(ctx, change.key, change.version);
    if (check !== undefined) events.push({ event: 'lint', data: check });
  }
  return events;
}

const REVIEW_EVENTS: Record<string, string> = {
  commented: 'comment',
  commentResolved: 'comment',
  commentReopened: 'comment',
  submitted: 'status',
  resubmitted: 'status',
};

function reviewEvent(change: Change): SseEvent {
  const data = (change.data ?? {}) as { event?: string; status?: string; draftId?: string; seq?: number };
  const event = REVIEW_EVENTS[data.event ?? ''] ?? 'decision';
  return { event, data: { submissionId: change.key, ...data, actor: change.actor, at: change.at } };
}

/** Lint of one saved version, computed once per instance however many streams watch it. */
class LintCache {
  readonly #entries = new Map<string, Promise<unknown>>();
  get(ctx: ServerContext, draftId: string, version: number): Promise<unknown> {
    const key = `${draftId}@${String(version)}`;
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = (async () => {
        const { store } = await ctx.hub.state();
        const draft = await store.getDraftVersion(draftId, version);
        if (draft === undefined) return undefined;
        const check = await ctx.hub.checkDraft(draft);
        return { draftId, version, counts: check.counts, failed: check.failed, diagnostics: check.diagnostics };
      })().catch(() => undefined);
      this.#entries.set(key, entry);
      if (this.#entries.size > 500) this.#entries.delete(this.#entries.keys().next().value ?? key);
    }
    return entry;
  }
}

/**
 * Streams the changes that pass `filter`: first those after `Last-Event-ID` (backfill), then live
 * ones, each with its change id as the SSE id. Subscribes before backfilling, so nothing falls in
 * between; a change seen twice is sent once.
 */
function stream(
  c: AppContext,
  ctx: ServerContext,
  live: LiveFeed,
  streams: Set<() => void>,
  options: EventOptions,
  filter: (change: Change) => boolean,
  interests: readonly Interest[],
  toEvents: (change: Change) => Promise<SseEvent[]>,
): Response {
  const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
  return streamSSE(
    c,
    async (sse: SSEStreamingApi) => {
      const queue: Change[] = [];
      const sent = new Set<string>();
      let wake: (() => void) | undefined;
      const state = { ended: false };
      const ended = () => state.ended;
      const end = () => {
        state.ended = true;
        wake?.();
      };
      const unsubscribe = live.subscribe(
        filter,
        (change) => {
          queue.push(change);
          wake?.();
        },
        interests,
      );
      streams.add(end);
      sse.onAbort(end);
      try {
        if (lastEventId !== undefined && LAST_EVENT_ID.test(lastEventId))
          queue.unshift(...(await live.since(lastEventId, filter)));
        await sse.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
        while (!ended() && !sse.aborted) {
          const change = queue.shift();
          if (change === undefined) {
            const timer = setTimeout(() => wake?.(), options.heartbeatMs);
            await new Promise<void>((resolve) => (wake = resolve));
            clearTimeout(timer);
            wake = undefined;
            if (queue.length === 0 && !ended()) await sse.write(': ping\n\n');
            continue;
          }
          if (sent.has(change.id)) continue;
          sent.add(change.id);
          const events = await toEvents(change);
          for (const [i, e] of events.entries()) {
            await sse.writeSSE({
              event: e.event,
              data: JSON.stringify(e.data),
              ...(i === events.length - 1 ? { id: change.id } : {}),
            });
          }
        }
      } finally {
        unsubscribe();
        streams.delete(end);
      }
    },
    (error) => {
      ctx.log({ level: 'warn', msg: 'event stream failed', requestId: c.get('requestId'), error: String(error) });
    },
  );
}

const sseResponse = (description: string) => ({
  200: { description, content: { 'text/event-stream': { schema: z.string() } } },
  ...problems(400, 401, 403, 404),
});

const lastEventIdHeader = z.object({
  'last-event-id': z
    .string()
    .max(20)
    .optional()
    .openapi({ description: 'Resume after this change id (sent by EventSource on reconnect)' }),
});

/** Server-Sent Events per draft (saves, lint, review steps) and per submission (decisions, comments, status). */
export function registerEventRoutes(
  app: OpenAPIHono<AppEnv>,
  ctx: ServerContext,
  live: LiveFeed,
  streams: Set<() => void>,
  options: EventOptions,
): void {
  const lint = new LintCache();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/drafts/{id}/events',
      summary: 'Live: saves of this draft with their lint results, and its review steps (SSE)',
      tags: ['live'],
      request: { params: IdParam, headers: lastEventIdHeader },
      responses: sseResponse('event: ready | draft | lint | status | decision | comment; id: the change id'),
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      const { id } = c.req.valid('param');
      await ctx.hub.getDraft(auth.principal, id);
      const filter = (change: Change) =>
        (change.kind === 'draft' && change.key === id) ||
        (change.kind === 'submission' && (change.data as { draftId?: unknown } | undefined)?.draftId === id);
      // A submission change names its draft only in its data: every one may be this draft's.
      const interests: Interest[] = [{ kind: 'draft', key: id }, { kind: 'submission' }];
      return stream(c, ctx, live, streams, options, filter, interests, (change) => draftEvents(ctx, change, lint));
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/submissions/{id}/events',
      summary: 'Live: decisions, comments and status changes of this submission (SSE)',
      tags: ['live'],
      request: { params: RefParam, headers: lastEventIdHeader },
      responses: sseResponse('event: ready | status | decision | comment; id: the change id'),
    }),
    async (c) => {
      const auth = requireAuth(c, 'submissions:read');
      const state = await ctx.hub.status(auth.principal, c.req.valid('param').id);
      const submissionId = state.streamId;
      const filter = (change: Change) => change.kind === 'submission' && change.key === submissionId;
      return stream(c, ctx, live, streams, options, filter, [{ kind: 'submission', key: submissionId }], (change) =>
        Promise.resolve([reviewEvent(change)]),
      );
    },
  );
}
