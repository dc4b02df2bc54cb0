import {
  DraftSchema,
  HubspokeError,
  LocaleContentSchema,
  LocaleSchema,
  type Action,
  type Draft,
  type Principal,
} from '@hubspoke/core';
import type { Hub } from '@hubspoke/hub';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, type AppEnv, type ServerContext } from '../context.js';
import { HttpError, problems } from '../problem.js';
import { Diagnostic, IdParam, RefParam } from '../schemas.js';

// What `@hubspoke/editor`'s HTTP data source reads beyond the resource endpoints: the hub's
// editing settings and who is signed in, skeletons compiled with mjml here, and submissions
// shaped for the review panel (the decisions the caller may make now, each round's content).

const DECISIONS = ['approved', 'approvedWithChanges', 'changesRequired', 'notRelevant', 'rejected'] as const;

const EditorContext = z
  .looseObject({
    viewer: z.object({
      id: z.string(),
      name: z.string(),
      roles: z.array(z.string()),
      regions: z.array(z.string()),
      reviewer: z.boolean(),
    }),
    hub: z.looseObject({ name: z.string() }),
  })
  .openapi('EditorContext', { description: "The signed-in person and the hub's editing settings" });

const SkeletonInput = z
  .object({
    draft: DraftSchema.meta({ id: 'Draft' }),
    locale: LocaleSchema,
    annotate: z.boolean(),
    key: z.string().max(200).optional(),
  })
  .strict()
  .openapi('SkeletonInput');

const EditorSubmission = z
  .looseObject({ id: z.string(), draftId: z.string(), status: z.string(), round: z.number().int() })
  .openapi('EditorSubmission', { description: 'A submission as the review panel shows it to the caller' });

const AssistSuggestions = z
  .object({
    items: z.array(
      z.object({
        text: z.string(),
        diagnostics: z.array(z.looseObject({ ruleId: z.string(), severity: z.string(), message: z.string() })),
        passed: z.boolean(),
      }),
    ),
  })
  .openapi('AssistSuggestions', { description: "The assistant's suggestions, each with the brand check's findings" });

const SubjectsInput = z
  .object({
    draft: DraftSchema.meta({ id: 'Draft' }),
    locale: LocaleSchema,
    field: z.enum(['subject', 'preheader']).optional(),
    count: z.number().int().min(1).max(10).optional(),
  })
  .strict()
  .openapi('AssistSubjectsInput');

const AltTextInput = z
  .object({
    draft: DraftSchema.meta({ id: 'Draft' }),
    locale: LocaleSchema,
    instanceId: z.string().min(1).max(200),
    slotId: z.string().min(1).max(200),
    image: z
      .object({ src: z.string().min(1).max(2000), assetId: z.string().max(200).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('AssistAltTextInput');

const TranslateInput = z
  .object({
    draft: DraftSchema.meta({ id: 'Draft' }),
    from: LocaleSchema.meta({ description: 'The locale to translate from; the draft must have content in it' }),
    to: LocaleSchema.meta({ description: 'The locale to fill (text it already has is kept)' }),
  })
  .strict()
  .openapi('AssistTranslateInput');

const LocaleTranslation = z
  .object({
    content: LocaleContentSchema.meta({ id: 'LocaleContent' }),
    diagnostics: z.array(Diagnostic),
    passed: z.boolean(),
  })
  .openapi('AssistTranslation', {
    description:
      "One locale translated by the hub's assistant and pre-linted (not saved): what translating found and the brand rules on it; `passed`: nothing at error level",
  });

const DraftActions = z
  .object({ push: z.boolean(), newVersion: z.boolean() })
  .openapi('DraftActions', { description: 'What the caller may do with the draft now' });

const InboxItem = z
  .looseObject({ submissionId: z.string(), draftId: z.string(), stage: z.string(), escalated: z.boolean() })
  .openapi('InboxItem');

/** "contact.firstName" → "First name". */
export function fieldLabel(path: string): string {
  const last = path.split('.').pop() ?? path;
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  if (words === 'vip') return 'VIP';
  return words.charAt(0).toUpperCase() + words.slice(1);
}

async function isReviewer(hub: Hub, principal: Principal): Promise<boolean> {
  const roles = new Set<string>();
  for (const w of await hub.workflows()) {
    for (const stage of w.stages) for (const r of stage.reviewers) if ('role' in r) roles.add(r.role);
    for (const r of w.overrideRoles) roles.add(r);
  }
  return principal.roles.some((r) => roles.has(r));
}

async function editorHub(hub: Hub) {
  const [brandKit, settings, templates, lintConfig] = await Promise.all([
    hub.brandKit(),
    hub.settings(),
    hub.templates(),
    hub.source.lintConfig(),
  ]);
  const paths = new Set<string>();
  for (const fields of Object.values(settings.fieldMap)) for (const p of Object.keys(fields)) paths.add(p);
  for (const c of settings.sampleContacts) for (const p of Object.keys(c.fields)) paths.add(p);
  const locales = new Set<string>();
  for (const { template } of templates) {
    locales.add(template.defaultLocale);
    for (const [locale, chain] of Object.entries(template.fallbacks)) {
      locales.add(locale);
      for (const l of chain) locales.add(l);
    }
  }
  return {
    name: brandKit.name,
    brandKit,
    ...(lintConfig === undefined ? {} : { lintConfig }),
    fields: [...paths].sort().map((path) => ({ path, label: fieldLabel(path) })),
    sampleContacts: settings.sampleContacts,
    locales: [...locales].sort(),
    dialects: Object.keys(settings.fieldMap),
    fieldMap: settings.fieldMap,
    assist: hub.assistCapabilities(),
  };
}

type Status = Awaited<ReturnType<Hub['status']>>;

/** Each round's draft, from the submission's history (store hubs keep every saved version). */
async function rounds(hub: Hub, principal: Principal, state: Status): Promise<{ round: number; draft: Draft }[]> {
  const approvals = await hub.approvals();
  const events = await approvals.history(principal, state.streamId);
  const out: { round: number; draft: Draft }[] = [];
  for (const e of events) {
    if (e.type !== 'submission.created' && e.type !== 'submission.resubmitted') continue;
    const data = e.data as { round?: number; draftVersion?: number };
    if (data.round === undefined || data.draftVersion === undefined) continue;
    try {
      out.push({ round: data.round, draft: await hub.getDraftVersion(principal, state.draftId, data.draftVersion) });
    } catch {
      // A folder hub keeps only the current version: that round has no content to diff.
    }
  }
  return out;
}

async function editorSubmission(hub: Hub, principal: Principal, id: string) {
  const [state, view] = await Promise.all([hub.status(principal, id), hub.reviewView(principal, id)]);
  const workflow = (await hub.workflows()).find(
    (w) => w.id === state.workflow.id && w.version === state.workflow.version,
  );
  const allowed = view.allowedDecisions.filter((d): d is (typeof DECISIONS)[number] =>
    (DECISIONS as readonly string[]).includes(d),
  );
  return {
    id: state.streamId,
    draftId: state.draftId,
    title: state.title,
    submitter: state.submitter,
    status: state.status === 'new' ? 'inReview' : state.status,
    round: state.round,
    stages: state.stages.map((s) => ({
      id: s.id,
      name: s.name,
      status: s.status,
      ...(s.result === undefined ? {} : { result: s.result }),
      assignees: [...new Set([...s.assignees, ...(s.escalated?.assignees ?? [])])],
      decisions: s.decisions,
      ...(s.dueAt === undefined ? {} : { dueAt: s.dueAt }),
      ...(s.escalated === undefined ? {} : { escalated: { at: s.escalated.at, toRole: s.escalated.toRole } }),
    })),
    comments: state.comments.map((c) => ({
      id: c.id,
      author: c.author,
      at: c.at,
      text: c.text,
      ...(c.anchor === undefined ? {} : { anchor: c.anchor }),
      ...(c.parentId === undefined ? {} : { parentId: c.parentId }),
      resolved: c.resolved,
      outdated: c.outdated,
      round: c.round,
    })),
    lint: state.lint,
    ...(state.override === undefined
      ? {}
      : { override: { by: state.override.by, at: state.override.at, reason: state.override.reason } }),
    allowedDecisions: allowed,
    canOverride:
      state.status === 'inReview' &&
      state.lint.errors > 0 &&
      principal.roles.some((r) => workflow?.overrideRoles.includes(r) === true),
    rounds: await rounds(hub, principal, state),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  };
}

/** The review steps waiting for the caller, soonest due first. */
async function inbox(hub: Hub, principal: Principal, now: number) {
  const page = await hub.listSubmissions(principal, { status: 'inReview' } as never, { limit: 200 });
  const items = [];
  for (const summary of page.items) {
    const state = await hub.status(principal, summary.submissionId);
    const stage = state.stages.find(
      (s) =>
        s.status === 'active' &&
        (s.assignees.includes(principal.id) || s.escalated?.assignees.includes(principal.id) === true) &&
        s.decisions[principal.id] === undefined,
    );
    if (stage === undefined) continue;
    items.push({
      submissionId: state.streamId,
      draftId: state.draftId,
      title: state.title,
      submitter: state.submitter,
      stage: stage.name,
      round: state.round,
      ...(stage.dueAt === undefined ? {} : { dueAt: stage.dueAt }),
      escalated: stage.escalated !== undefined || (stage.dueAt !== undefined && Date.parse(stage.dueAt) < now),
    });
  }
  return items.sort((a, b) => (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff'));
}

const needsRole = (principal: Principal) => {
  if (principal.roles.length === 0) throw new HttpError(403, 'E_FORBIDDEN', `${principal.id} has no role in this hub`);
};

/** The editor's endpoints (under /api/editor). Skeletons need `@hubspoke/editor` installed (422 E_UNSUPPORTED without). */
export function registerEditorRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { hub } = ctx;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/editor/context',
      summary: "The signed-in person and the hub's editing settings (brand kit, lint config, fields, sample contacts)",
      tags: ['editor'],
      responses: {
        200: { description: 'The context', content: { 'application/json': { schema: EditorContext } } },
        ...problems(401, 403),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'templates:read');
      const p = auth.principal;
      return c.json(
        {
          viewer: {
            id: p.id,
            name: p.name ?? p.id,
            roles: p.roles,
            regions: p.regions,
            reviewer: await isReviewer(hub, p),
          },
          hub: await editorHub(hub),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/editor/skeletons',
      summary: "The skeleton of a draft's structure in one locale (the editor fills it on every keystroke)",
      tags: ['editor'],
      request: { body: { required: true, content: { 'application/json': { schema: SkeletonInput } } } },
      responses: {
        200: { description: 'The skeleton', content: { 'application/json': { schema: z.looseObject({}) } } },
        ...problems(400, 401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      needsRole(auth.principal);
      const { draft, locale, annotate } = c.req.valid('json');
      const template = await hub.template(draft.template.id, draft.template.version);
      let compile:
        ((t: typeof template, r: { draft: Draft; locale: string; annotate: boolean }) => Promise<unknown>) | undefined;
      try {
        ({ compileSkeleton: compile } = await import('@hubspoke/editor/assets'));
      } catch {
        compile = undefined;
      }
      if (compile === undefined)
        throw new HttpError(422, 'E_UNSUPPORTED', 'Skeletons need @hubspoke/editor installed beside the server');
      try {
        return c.json((await compile(template, { draft, locale, annotate })) as Record<string, unknown>, 200);
      } catch (error) {
        if (error instanceof HubspokeError) throw error;
        throw new HttpError(400, 'E_VALIDATION', 'The draft does not render with its template', {
          path: 'body.draft',
          cause: error,
        });
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/editor/inbox',
      summary: 'Submissions waiting for your decision, soonest due first',
      tags: ['editor'],
      responses: {
        200: {
          description: 'The inbox',
          content: { 'application/json': { schema: z.object({ items: z.array(InboxItem) }) } },
        },
        ...problems(401, 403),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'submissions:read');
      return c.json({ items: await inbox(hub, auth.principal, ctx.now()) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/editor/assist/subjects',
      summary: "Subject-line (or preheader) variants from the hub's assistant, each with its brand-check result",
      tags: ['editor'],
      request: { body: { required: true, content: { 'application/json': { schema: SubjectsInput } } } },
      responses: {
        200: { description: 'Suggestions', content: { 'application/json': { schema: AssistSuggestions } } },
        ...problems(400, 401, 403, 404, 415, 422, 502),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      const body = c.req.valid('json');
      const items = await hub.suggestSubjects(auth.principal, {
        draft: body.draft,
        locale: body.locale,
        ...(body.field === undefined ? {} : { field: body.field }),
        ...(body.count === undefined ? {} : { count: body.count }),
        signal: c.req.raw.signal,
      });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/editor/assist/alt-text',
      summary: "Alt-text suggestions for one image slot from the hub's assistant, each with what the checks found",
      tags: ['editor'],
      request: { body: { required: true, content: { 'application/json': { schema: AltTextInput } } } },
      responses: {
        200: { description: 'Suggestions', content: { 'application/json': { schema: AssistSuggestions } } },
        ...problems(400, 401, 403, 404, 415, 422, 502),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      const body = c.req.valid('json');
      const { image, ...rest } = body;
      const items = await hub.suggestAltText(auth.principal, {
        ...rest,
        ...(image === undefined
          ? {}
          : { image: { src: image.src, ...(image.assetId === undefined ? {} : { assetId: image.assetId }) } }),
        signal: c.req.raw.signal,
      });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/editor/assist/translate',
      summary:
        "One locale of a draft translated from another by the hub's assistant, with the brand check's findings; nothing is saved",
      description:
        'Needs an assistant where the hub runs (`HUBSPOKE_AI_PROVIDER`; without one: 422 E_UNSUPPORTED) and a draft the caller may edit. Tokens and markup are kept; text the target locale already has is kept.',
      tags: ['editor'],
      request: { body: { required: true, content: { 'application/json': { schema: TranslateInput } } } },
      responses: {
        200: { description: 'The translation', content: { 'application/json': { schema: LocaleTranslation } } },
        ...problems(400, 401, 403, 404, 415, 422, 502),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      const body = c.req.valid('json');
      return c.json(await hub.translateLocale(auth.principal, { ...body, signal: c.req.raw.signal }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/editor/drafts/{id}/actions',
      summary: 'What you may do with a draft now: push it (approved), start a new version (approved)',
      tags: ['editor'],
      request: { params: IdParam },
      responses: {
        200: { description: 'Your actions on it', content: { 'application/json': { schema: DraftActions } } },
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      const found = await hub.getDraft(auth.principal, c.req.valid('param').id);
      const { draft } = found;
      const resource = { region: draft.region, team: draft.team, ownerId: draft.author };
      const may = async (action: Action, scope: 'push:write' | 'drafts:write') => {
        if (auth.scopes !== 'all' && !auth.scopes.has(scope)) return false;
        try {
          await hub.authorize(auth.principal, action, resource);
          return true;
        } catch (error) {
          if (error instanceof HubspokeError && error.code === 'E_FORBIDDEN') return false;
          throw error;
        }
      };
      const approved = found.status === 'approved';
      return c.json(
        {
          push: approved && (await may('email.push', 'push:write')),
          newVersion: approved && hub.source.kind === 'store' && (await may('draft.edit', 'drafts:write')),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/editor/submissions/{id}',
      summary: 'A submission for the review panel: stages, comments, the decisions you may make now, each round',
      tags: ['editor'],
      request: { params: RefParam },
      responses: {
        200: { description: 'The submission', content: { 'application/json': { schema: EditorSubmission } } },
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'submissions:read');
      return c.json(await editorSubmission(hub, auth.principal, c.req.valid('param').id), 200);
    },
  );
}
