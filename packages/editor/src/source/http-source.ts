import {
  checkArgs,
  guardMethods,
  HubspokeError,
  isHubspokeError,
  MAX_NAME_LENGTH,
  type ArgSpec,
  type Draft,
  type ErrorCode,
  type Template,
} from '@hubspoke/core';
import type { Skeleton } from '@hubspoke/template-engine/fill';
import { SOURCE_ARGS } from './source-args.js';
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

const SOURCE = 'httpSource source';

/** The arguments of each method of the source `httpSource` gives (see core's `guardMethods`). */
const HTTP_SOURCE_ARGS: Readonly<Record<keyof EditorDataSource | 'signOut', readonly ArgSpec[]>> = {
  ...SOURCE_ARGS,
  signOut: [],
};

/**
 * The fields of an argument, checked by path (`input.templateId`) as core's `checkArgs` does, and
 * those not listed in `content` bounded as names are (they go into URLs and ids).
 */
function fields(fn: string, specs: readonly ArgSpec[], values: readonly unknown[], content: readonly string[] = []) {
  checkArgs(`${SOURCE}.${fn}`, specs, values);
  specs.forEach((spec, i) => {
    const path = spec.slice(0, spec.lastIndexOf(':'));
    const value = values[i];
    if (typeof value === 'string' && value.length > MAX_NAME_LENGTH && !content.includes(path))
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid ${path}: ${SOURCE}.${fn} expected at most ${String(MAX_NAME_LENGTH)} characters, got ${String(value.length)}`,
        { path },
      );
  });
}

/** A request body as JSON, or `E_VALIDATION` at `path` (a cycle, a bigint, 10,000 levels), before any request. */
function json(body: unknown, path: string): string {
  try {
    return JSON.stringify(body);
  } catch (cause) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid ${path}: expected plain JSON data (no cycles, bigints or 10,000-level nesting)`,
      { path, cause },
    );
  }
}

/** Visible ASCII, as a bearer token is (a line break would add a header). */
const TOKEN = /^[\x21-\x7e]+$/;

/** Checks the options once, so that no later call trips over one. */
function checkOptions(options: HttpSourceOptions): void {
  checkArgs('httpSource', ['options:object'], [options]);
  const { baseUrl, fetch: givenFetch, EventSource: givenES, token } = options;
  checkArgs(
    'httpSource',
    ['baseUrl:string?', 'fetch:function?', 'EventSource:function?', 'token:string?'],
    [baseUrl, givenFetch, givenES, token],
  );
  for (const [path, value] of [
    ['baseUrl', baseUrl],
    ['token', token],
  ] as const)
    if (value !== undefined && value.length > MAX_NAME_LENGTH)
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid ${path}: httpSource expected at most ${String(MAX_NAME_LENGTH)} characters`,
        { path },
      );
  if (token !== undefined && !TOKEN.test(token))
    throw new HubspokeError('E_VALIDATION', 'Invalid token: expected visible ASCII characters (a bearer token)', {
      path: 'token',
    });
}

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
  checkOptions(options);
  const base = options.baseUrl ?? (typeof location === 'undefined' ? '' : location.origin);
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const ES = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
  let csrf: Promise<string | undefined> | undefined;
  let context: Promise<{ viewer: Viewer; hub: HubInfo }> | undefined;
  let templateNames: Promise<Map<string, string>> | undefined;

  async function failure(res: Response): Promise<HubspokeError> {
    let problem: Problem = {};
    try {
      const parsed: unknown = await res.json();
      if (typeof parsed === 'object' && parsed !== null) problem = parsed;
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

  /** A fetch whose every failure (unreachable, not a Response) is `E_UPSTREAM`. */
  async function send(url: string, init: RequestInit): Promise<Response> {
    let res: unknown;
    try {
      res = await doFetch(url, init);
    } catch (error) {
      throw new HubspokeError('E_UPSTREAM', 'The hub server cannot be reached; check your connection', {
        cause: error,
      });
    }
    const r = res as Partial<Response> | null;
    if (
      typeof r !== 'object' ||
      r === null ||
      typeof r.ok !== 'boolean' ||
      typeof r.status !== 'number' ||
      typeof r.json !== 'function' ||
      typeof r.headers?.get !== 'function'
    )
      throw new HubspokeError('E_UPSTREAM', 'The fetch given to httpSource answered without a Response', {
        path: 'fetch',
      });
    return r as Response;
  }

  /** The JSON of a successful answer (a proxy's HTML page is `E_UPSTREAM`). */
  async function answer(res: Response): Promise<unknown> {
    try {
      return (await res.json()) as unknown;
    } catch (error) {
      throw new HubspokeError('E_UPSTREAM', 'The hub server answered without JSON', {
        cause: error,
        details: { status: res.status },
      });
    }
  }

  function csrfToken(): Promise<string | undefined> {
    csrf ??= (async () => {
      const res = await send(`${base}/api/session`, { credentials: 'same-origin', headers: auth() });
      if (!res.ok) throw await failure(res);
      return ((await answer(res)) as { csrfToken?: string } | null)?.csrfToken;
    })();
    csrf.catch(() => (csrf = undefined));
    return csrf;
  }

  const auth = (): Record<string, string> =>
    options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };

  /** `body` is JSON already (see `json`): nothing is sent for a body that cannot be. */
  async function request(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    const unsafe = method !== 'GET' && method !== 'HEAD';
    const token = unsafe && options.token === undefined ? await csrfToken() : undefined;
    const res = await send(`${base}${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...auth(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token === undefined ? {} : { 'x-csrf-token': token }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });
    if (!res.ok) throw await failure(res);
    return res.status === 204 ? undefined : answer(res);
  }

  const get = async <T>(path: string) => (await request('GET', path)) as T;
  /** `path` names the argument the body carries, for a body that is not JSON (a draft with a cycle). */
  const post = async <T>(url: string, data: unknown, path = 'body') =>
    (await request('POST', url, json(data, path))) as T;
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
    skeleton: async (req) => {
      fields(
        'skeleton',
        ['request.draft:object', 'request.locale:string', 'request.annotate:boolean', 'request.key:string?'],
        [req.draft, req.locale, req.annotate, req.key],
      );
      const { draft, locale, annotate } = req;
      return post<Skeleton>('/api/editor/skeletons', { draft, locale, annotate }, 'request.draft');
    },

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
    createDraft: async (input) => {
      fields('createDraft', ['input.templateId:string', 'input.name:string'], [input.templateId, input.name]);
      const { templateId, name } = input;
      return record(await post<Envelope>('/api/drafts', { id: draftIdFor(name), name, template: { id: templateId } }));
    },
    draft: async (id) => record(await get<Envelope>(`/api/drafts/${enc(id)}`)),
    saveDraft: async (draft, etag) => {
      fields('saveDraft', ['draft.id:string'], [draft.id]);
      const path = `/api/drafts/${enc(draft.id)}`;
      return record((await request('PUT', path, json(draft, 'draft'), { 'if-match': etag })) as Envelope);
    },

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
      fields(
        'decide',
        ['input.decision:string', 'input.reason:string?', 'input.override:boolean?'],
        [input.decision, input.reason, input.override],
        ['input.reason'],
      );
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
      fields(
        'comment',
        ['input.text:string', 'input.anchor:object?', 'input.parentId:string?'],
        [input.text, input.anchor, input.parentId],
        ['input.text'],
      );
      const anchor = input.anchor;
      if (anchor !== undefined)
        fields(
          'comment',
          ['input.anchor.instanceId:string', 'input.anchor.slotId:string?', 'input.anchor.locale:string?'],
          [anchor.instanceId, anchor.slotId, anchor.locale],
        );
      await post(`/api/submissions/${enc(submissionId)}/comments`, {
        text: input.text,
        ...(anchor === undefined
          ? {}
          : {
              anchor: {
                instanceId: anchor.instanceId,
                ...(anchor.slotId === undefined ? {} : { slotId: anchor.slotId }),
                ...(anchor.locale === undefined ? {} : { locale: anchor.locale }),
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
      (await post<{ items: Suggestion[] }>('/api/editor/assist/subjects', { draft, locale }, 'draft')).items,
    altText: async (image, locale, slot) => {
      fields('altText', ['image.src:string', 'image.assetId:string?'], [image.src, image.assetId], ['image.src']);
      if (slot !== undefined)
        fields(
          'altText',
          ['slot.draft:object', 'slot.instanceId:string', 'slot.slotId:string'],
          [slot.draft, slot.instanceId, slot.slotId],
        );
      if (slot === undefined)
        throw new HubspokeError('E_VALIDATION', 'altText: the hub server needs the draft and the image slot', {
          path: 'slot',
        });
      return (
        await post<{ items: Suggestion[] }>(
          '/api/editor/assist/alt-text',
          {
            draft: slot.draft,
            locale,
            instanceId: slot.instanceId,
            slotId: slot.slotId,
            image: { src: image.src, ...(image.assetId === undefined ? {} : { assetId: image.assetId }) },
          },
          'slot.draft',
        )
      ).items;
    },
    // The server translates with the hub's assistant and pre-lints the result; nothing is saved.
    translate: async (draft, from, to) => {
      const out = await post<Translation>('/api/editor/assist/translate', { draft, from, to }, 'draft');
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
      if (scope !== undefined)
        fields(
          'subscribe',
          ['scope.submissionId:string?', 'scope.draftId:string?'],
          [scope.submissionId, scope.draftId],
        );
      const path =
        scope?.submissionId !== undefined
          ? `/api/submissions/${enc(scope.submissionId)}/events`
          : scope?.draftId !== undefined
            ? `/api/drafts/${enc(scope.draftId)}/events`
            : undefined;
      if (path === undefined) return () => undefined;
      let events: EventSource;
      try {
        events = new ES(`${base}${path}`, { withCredentials: base !== '' });
        if (typeof events.addEventListener !== 'function' || typeof events.close !== 'function')
          throw new TypeError('not an EventSource');
      } catch (error) {
        throw new HubspokeError('E_UPSTREAM', 'Live updates from the hub server cannot be opened', {
          path: 'EventSource',
          cause: error,
        });
      }
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
  // The arguments are checked before any request (below), so a raw error inside a method can only
  // come from reading an answer the server gave: its fault (a proxy, an older or broken server),
  // reported as E_UPSTREAM rather than as this editor's internal error.
  const methods = source as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, method] of Object.entries(methods)) {
    if (typeof method !== 'function' || name === 'subscribe') continue;
    methods[name] = async (...args: unknown[]) => {
      try {
        return await method.apply(source, args);
      } catch (error) {
        if (isHubspokeError(error)) throw error;
        throw new HubspokeError(
          'E_UPSTREAM',
          `${SOURCE}.${name}: the hub server's answer is not what this editor reads`,
          {
            cause: error,
            hint: 'The server may be another version than the editor, or a proxy answered for it',
          },
        );
      }
    };
  }
  // A page passes what its handlers get (or another script's values): a wrong argument is a
  // HubspokeError before any request, never a raw TypeError.
  guardMethods(
    SOURCE,
    source,
    Object.fromEntries(
      Object.entries(HTTP_SOURCE_ARGS).filter(
        ([name]) => typeof (source as unknown as Record<string, unknown>)[name] === 'function',
      ),
    ),
    { sync: ['subscribe'] },
  );
  return source;
}
