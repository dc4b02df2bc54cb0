import { HubspokeError, type Draft, type ErrorCode, type Template } from '@hubspoke/core';
import type { Skeleton } from '@hubspoke/template-engine/fill';
import type {
  DraftActions,
  DraftRecord,
  DraftStatus,
  DraftSummary,
  EditorDataSource,
  HubInfo,
  InboxItem,
  PushResult,
  SourceEvent,
  Suggestion,
  SubmissionView,
  TemplateSummary,
  Translation,
  Viewer,
} from './types.js';

export interface HttpSourceOptions {
  /** The hub server (default: the page's origin). */
  baseUrl?: string;
  /** Default: the global fetch (the browser sends the session cookie to its own origin). */
  fetch?: typeof fetch;
  /** Default: the global EventSource; without one, `subscribe` is absent. */
  EventSource?: typeof EventSource;
  /** An API token (`hsp_…`) or access token, sent as a bearer token instead of the session cookie. */
  token?: string;
}

/** The server's draft envelope. */
interface Envelope {
  draft: Draft;
  version: number;
  status: string;
  submissionId?: string;
  updatedAt?: string;
}

interface Problem {
  code?: string;
  detail?: string;
  title?: string;
  path?: string;
  hint?: string;
  details?: Record<string, unknown>;
}

const CODES = new Set<string>([
  'E_VALIDATION',
  'E_LOCKED',
  'E_FORBIDDEN',
  'E_CONFLICT',
  'E_NOT_FOUND',
  'E_RATE_LIMITED',
  'E_AUTH',
  'E_UPSTREAM',
  'E_UNSUPPORTED',
  'E_TIMEOUT',
  'E_ABORTED',
  'E_INTERNAL',
]);

const DRAFT_STATUSES = new Set<DraftStatus>(['draft', 'inReview', 'returned', 'approved', 'rejected']);

const draftStatus = (status: string): DraftStatus =>
  DRAFT_STATUSES.has(status as DraftStatus) ? (status as DraftStatus) : status === 'withdrawn' ? 'draft' : 'draft';

const record = (e: Envelope): DraftRecord => ({
  draft: e.draft,
  etag: `"${String(e.version)}"`,
  status: draftStatus(e.status),
  ...(e.submissionId === undefined ? {} : { submissionId: e.submissionId }),
});

/** A readable, unique draft id from its name (a letter first, as ids must): "May newsletter" → "may-newsletter-k3x9". */
export function draftIdFor(name: string, random: () => number = Math.random): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${/^[a-z]/.test(slug) ? slug : `draft${slug === '' ? '' : `-${slug}`}`}-${suffix}`;
}

/**
 * The hub server's HTTP API as an `EditorDataSource` (what `hubspoke serve`'s web app uses): the
 * browser's session cookie with the CSRF token on every write, `If-Match` on saves (a stale save
 * is `E_CONFLICT` with the current ETag in `details.etag`, which the editor offers to resolve), a
 * locked-slot save is `E_LOCKED`, and live updates arrive over Server-Sent Events. Every failure
 * is a `HubspokeError` with the server's stable code.
 */
export function httpSource(options: HttpSourceOptions = {}): EditorDataSource & {
  /** Ends the browser session. */
  signOut(): Promise<void>;
} {
  const base = options.baseUrl ?? (typeof location === 'undefined' ? '' : location.origin);
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const ES = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
  let csrf: Promise<string | undefined> | undefined;
  let context: Promise<{ viewer: Viewer; hub: HubInfo }> | undefined;
  let templateNames: Promise<Map<string, string>> | undefined;

  async function failure(res: Response): Promise<HubspokeError> {
    let problem: Problem = {};
    try {
      problem = (await res.json()) as Problem;
    } catch {
      // Not problem details (a proxy's page): the status says enough.
    }
    const code = (
      res.status === 412 ? 'E_CONFLICT' : CODES.has(problem.code ?? '') ? problem.code : 'E_UPSTREAM'
    ) as ErrorCode;
    const message =
      problem.detail ?? problem.title ?? `The hub server answered ${String(res.status)} ${res.statusText}`;
    const etag = res.headers.get('etag');
    return new HubspokeError(code, message, {
      ...(problem.path === undefined ? {} : { path: problem.path }),
      ...(problem.hint === undefined ? {} : { hint: problem.hint }),
      details: {
        ...problem.details,
        status: res.status,
        ...(res.status === 412 ? { reason: 'stale', ...(etag === null ? {} : { etag }) } : {}),
      },
    });
  }

  function csrfToken(): Promise<string | undefined> {
    csrf ??= (async () => {
      const res = await doFetch(`${base}/api/session`, { credentials: 'same-origin', headers: auth() });
      if (!res.ok) throw await failure(res);
      return ((await res.json()) as { csrfToken?: string }).csrfToken;
    })();
    csrf.catch(() => (csrf = undefined));
    return csrf;
  }

  const auth = (): Record<string, string> =>
    options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };

  async function request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    const unsafe = method !== 'GET' && method !== 'HEAD';
    const token = unsafe && options.token === undefined ? await csrfToken() : undefined;
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        credentials: 'same-origin',
        headers: {
          accept: 'application/json',
          ...auth(),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token === undefined ? {} : { 'x-csrf-token': token }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new HubspokeError('E_UPSTREAM', 'The hub server cannot be reached; check your connection', {
        cause: error,
      });
    }
    if (!res.ok) throw await failure(res);
    return res.status === 204 ? undefined : ((await res.json()) as unknown);
  }

  const get = async <T>(path: string) => (await request('GET', path)) as T;
  const post = async <T>(path: string, body: unknown) => (await request('POST', path, body)) as T;
  const enc = encodeURIComponent;

  const ctx = () => {
    context ??= get<{ viewer: Viewer; hub: HubInfo }>('/api/editor/context');
    context.catch(() => (context = undefined));
    return context;
  };

  async function templateList(): Promise<TemplateSummary[]> {
    const { items } = await get<{ items: { id: string; version: number; name: string; description?: string }[] }>(
      '/api/templates',
    );
    const newest = new Map<string, TemplateSummary>();
    for (const t of items) {
      const seen = newest.get(t.id);
      if (seen === undefined || seen.version < t.version) newest.set(t.id, { ...t, tags: [] });
    }
    return [...newest.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  const names = () => {
    templateNames ??= templateList().then((list) => new Map(list.map((t) => [t.id, t.name])));
    templateNames.catch(() => (templateNames = undefined));
    return templateNames;
  };

  const submission = (id: string) => get<SubmissionView>(`/api/editor/submissions/${enc(id)}`);

  async function decided(submissionId: string): Promise<SubmissionView> {
    return submission(submissionId);
  }

  const source: EditorDataSource & { signOut(): Promise<void> } = {
    viewer: async () => (await ctx()).viewer,
    hub: async () => (await ctx()).hub,
    templates: templateList,
    template: (id, version) => get<Template>(`/api/templates/${enc(id)}/versions/${String(version)}`),
    skeleton: ({ draft, locale, annotate }) => post<Skeleton>('/api/editor/skeletons', { draft, locale, annotate }),

    drafts: async () => {
      const viewer = (await ctx()).viewer;
      const [{ items }, templates] = await Promise.all([
        get<{ items: Envelope[] }>(`/api/drafts?author=${enc(viewer.id)}&limit=200`),
        names(),
      ]);
      return items.map((e): DraftSummary => ({
        id: e.draft.id,
        name: e.draft.name,
        templateName: templates.get(e.draft.template.id) ?? e.draft.template.id,
        status: draftStatus(e.status),
        locales: Object.keys(e.draft.content),
        ...(e.updatedAt === undefined ? {} : { updatedAt: e.updatedAt }),
      }));
    },
    createDraft: async ({ templateId, name }) =>
      record(await post<Envelope>('/api/drafts', { id: draftIdFor(name), name, template: { id: templateId } })),
    draft: async (id) => record(await get<Envelope>(`/api/drafts/${enc(id)}`)),
    saveDraft: async (draft, etag) =>
      record((await request('PUT', `/api/drafts/${enc(draft.id)}`, draft, { 'if-match': etag })) as Envelope),

    newVersion: async (draftId, etag) =>
      record(
        (await request(
          'POST',
          `/api/drafts/${enc(draftId)}/versions`,
          undefined,
          etag === undefined ? {} : { 'if-match': etag },
        )) as Envelope,
      ),
    actions: (draftId) => get<DraftActions>(`/api/editor/drafts/${enc(draftId)}/actions`),

    submit: async (draftId) => {
      const outcome = await post<{ submissionId: string }>(`/api/drafts/${enc(draftId)}/submissions`, {});
      return decided(outcome.submissionId);
    },
    submission,
    inbox: async () => (await get<{ items: InboxItem[] }>('/api/editor/inbox')).items,
    decide: async (submissionId, input) => {
      if (input.override === true) {
        await post(`/api/submissions/${enc(submissionId)}/decisions`, {
          verdict: 'override',
          reason: input.reason ?? '',
        });
      }
      await post(`/api/submissions/${enc(submissionId)}/decisions`, {
        verdict: input.decision,
        ...(input.reason === undefined || input.reason === '' ? {} : { reason: input.reason }),
      });
      return decided(submissionId);
    },
    comment: async (submissionId, input) => {
      await post(`/api/submissions/${enc(submissionId)}/comments`, {
        text: input.text,
        ...(input.anchor === undefined
          ? {}
          : {
              anchor: {
                instanceId: input.anchor.instanceId,
                ...(input.anchor.slotId === undefined ? {} : { slotId: input.anchor.slotId }),
                ...(input.anchor.locale === undefined ? {} : { locale: input.anchor.locale }),
              },
            }),
        ...(input.parentId === undefined ? {} : { parentId: input.parentId }),
      });
      return decided(submissionId);
    },
    resolveComment: async (submissionId, commentId, resolved) => {
      await post(
        `/api/submissions/${enc(submissionId)}/comments`,
        resolved ? { resolve: commentId } : { reopen: commentId },
      );
      return decided(submissionId);
    },
    push: async (draftId): Promise<PushResult> => {
      const out = await post<{
        connector: string;
        report: {
          items: (
            | { ok: true; result: { remoteId: string; url?: string } }
            | { ok: false; error: { code: string; message: string } }
          )[];
        };
      }>(`/api/drafts/${enc(draftId)}/push`, {});
      const failed = out.report.items.find((i) => !i.ok);
      if (failed?.ok === false)
        throw new HubspokeError(
          CODES.has(failed.error.code) ? (failed.error.code as ErrorCode) : 'E_UPSTREAM',
          failed.error.message,
        );
      const first = out.report.items.find((i) => i.ok);
      return {
        connector: out.connector,
        remoteId: first?.ok === true ? first.result.remoteId : draftId,
        ...(first?.ok === true && first.result.url !== undefined ? { url: first.result.url } : {}),
      };
    },
    subjectVariants: async (draft, locale) =>
      (await post<{ items: Suggestion[] }>('/api/editor/assist/subjects', { draft, locale })).items,
    altText: async (image, locale, slot) => {
      if (slot === undefined)
        throw new HubspokeError('E_VALIDATION', 'altText: the hub server needs the draft and the image slot', {
          path: 'slot',
        });
      return (
        await post<{ items: Suggestion[] }>('/api/editor/assist/alt-text', {
          draft: slot.draft,
          locale,
          instanceId: slot.instanceId,
          slotId: slot.slotId,
          image: { src: image.src, ...(image.assetId === undefined ? {} : { assetId: image.assetId }) },
        })
      ).items;
    },
    // The server translates with the hub's assistant and pre-lints the result; nothing is saved.
    translate: async (draft, from, to) => {
      const out = await post<Translation>('/api/editor/assist/translate', { draft, from, to });
      return { content: out.content, diagnostics: out.diagnostics };
    },
    signOut: async () => {
      await request('POST', '/auth/logout');
      csrf = undefined;
      context = undefined;
    },
  };

  if (ES !== undefined) {
    source.subscribe = (listener, scope) => {
      const path =
        scope?.submissionId !== undefined
          ? `/api/submissions/${enc(scope.submissionId)}/events`
          : scope?.draftId !== undefined
            ? `/api/drafts/${enc(scope.draftId)}/events`
            : undefined;
      if (path === undefined) return () => undefined;
      const events = new ES(`${base}${path}`, { withCredentials: base !== '' });
      const onReview = (e: MessageEvent<string>) => {
        let data: { submissionId?: string; draftId?: string } = {};
        try {
          data = JSON.parse(e.data) as typeof data;
        } catch {
          return;
        }
        const submissionId = data.submissionId ?? scope?.submissionId;
        const draftId = data.draftId ?? scope?.draftId;
        if (submissionId === undefined || draftId === undefined) return;
        listener({ type: 'submission', submissionId, draftId } satisfies SourceEvent);
      };
      const onDraft = (e: MessageEvent<string>) => {
        try {
          const data = JSON.parse(e.data) as { draftId?: string };
          if (data.draftId !== undefined) listener({ type: 'draft', draftId: data.draftId });
        } catch {
          // A malformed event is skipped.
        }
      };
      for (const type of ['status', 'decision', 'comment']) events.addEventListener(type, onReview);
      events.addEventListener('draft', onDraft);
      return () => {
        events.close();
      };
    };
  }
  return source;
}
