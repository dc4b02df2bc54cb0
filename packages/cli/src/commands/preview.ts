import path from 'node:path';
import { DecisionSchema, HubspokeError, parse, type Principal } from '@hubspoke/core';
import { render } from '@hubspoke/template-engine';
import type { OpenApprovals } from '../approvals-db.js';
import { checkDraft, localesOf } from '../checks.js';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { Project } from '../project.js';
import { captureScreenshots, findChromium } from '../preview/screenshots.js';
import { startPreviewServer } from '../preview/server.js';
import type { PreviewSource, ReviewView } from '../preview/types.js';
import type { CommandContext, CommandSpec } from '../program.js';
import { nextCommentId, submissionsOf } from '../submissions.js';
import { actorOf, openDatabase, projectOf, withActor, withDatabase } from './options.js';

const DECIDE = ['approved', 'approvedWithChanges', 'changesRequired', 'notRelevant'] as const;

async function reviewView(
  project: Project,
  db: OpenApprovals,
  principal: Principal,
  submissionId: string,
): Promise<ReviewView> {
  const state = await db.approvals.status(principal, submissionId);
  const workflow = await project.workflow();
  const active = state.stages.filter(
    (s) =>
      s.status === 'active' &&
      (s.assignees.includes(principal.id) || (s.escalated?.assignees.includes(principal.id) ?? false)) &&
      s.decisions[principal.id] === undefined,
  );
  const rejectable = active.some((s) => workflow.stages.find((d) => d.id === s.id)?.allowReject === true);
  return {
    submissionId,
    status: state.status,
    actingAs: principal.id,
    stages: state.stages.map((s) => ({
      id: s.id,
      name: s.name,
      status: s.status,
      decisions: Object.entries(s.decisions).map(([reviewer, d]) => ({
        reviewer,
        decision: d.decision,
        ...(d.reason === undefined ? {} : { reason: d.reason }),
      })),
    })),
    comments: state.comments.map((c) => ({
      id: c.id,
      author: c.author,
      text: c.text,
      resolved: c.resolved,
      outdated: c.outdated,
      ...(c.anchor === undefined ? {} : { anchor: c.anchor }),
    })),
    allowedDecisions: active.length === 0 ? [] : rejectable ? [...DECIDE, 'rejected'] : [...DECIDE],
  };
}

/**
 * The preview's view of a draft, re-read from disk on every request so edits show at once. The
 * approval state is opened for each review request and closed again, so other `hubspoke` commands
 * can use the embedded database while the preview runs.
 */
export async function previewSource(
  ctx: CommandContext,
  draftRef: string,
  actingAs: string | undefined,
  openDb: (() => Promise<OpenApprovals>) | undefined,
): Promise<PreviewSource> {
  const loaded = await ctx.config();
  const first = new Project(loaded, ctx.cwd);
  const { draft, file } = await first.draft(draftRef);
  const fresh = () => new Project(loaded, ctx.cwd);
  const withDb = async <T>(fn: (db: OpenApprovals) => Promise<T>): Promise<T> => {
    if (openDb === undefined) throw new HubspokeError('E_NOT_FOUND', 'review: no principal to act as');
    const db = await openDb();
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  // The review panel acts only as the principal named on the command line, never as the page asks.
  const principal = openDb === undefined || actingAs === undefined ? undefined : await first.principal(actingAs);
  const submissionId =
    principal === undefined
      ? undefined
      : await withDb(async (db) => (await submissionsOf(db.approvals, principal, draft.id))[0]?.submissionId);
  const { config } = loaded;
  const brandKit = await first.brandKit();
  return {
    title: draft.name,
    approvedImageUrls: [...brandKit.assets.map((a) => a.url), ...brandKit.logos.map((l) => l.url)],
    locales: localesOf(draft),
    contacts: config.sampleContacts.map((c) => ({ id: c.id, label: c.label ?? c.id })),
    // Folders, not files: editors save by renaming a new file over the old one.
    watch: [
      file,
      first.path(config.brandKit),
      first.path(config.templates),
      ...(config.lint === undefined ? [] : [first.path(config.lint)]),
    ],
    async render(locale, contactId) {
      const project = fresh();
      const current = (await project.draft(file)).draft;
      const template = await project.template(current.template.id, current.template.version);
      const contact = config.sampleContacts.find((c) => c.id === contactId);
      const email = await render(template, current, {
        locale,
        dialect: 'preview',
        fieldMap: config.fieldMap,
        annotate: true,
        ...(contact === undefined ? {} : { sampleContact: contact }),
      });
      const check = await checkDraft(project, file, current);
      const diagnostics = check.diagnostics.filter(
        (d) => d.location.locale === undefined || d.location.locale === locale,
      );
      return { subject: email.subject, preheader: email.preheader, html: email.html, diagnostics };
    },
    ...(principal === undefined || submissionId === undefined
      ? {}
      : {
          review: {
            view: () => withDb((db) => reviewView(fresh(), db, principal, submissionId)),
            decide: (decision, reason) =>
              withDb(async (db) => {
                // One command: the reason is recorded with the decision, or neither is.
                await db.approvals.decide(principal, submissionId, {
                  decision: parse(DecisionSchema, decision, 'decision'),
                  ...(reason === undefined ? {} : { reason }),
                });
                return reviewView(fresh(), db, principal, submissionId);
              }),
            comment: (text, anchor) =>
              withDb(async (db) => {
                const clean =
                  anchor?.instanceId === undefined
                    ? undefined
                    : {
                        instanceId: anchor.instanceId,
                        ...(anchor.slotId === undefined ? {} : { slotId: anchor.slotId }),
                        ...(anchor.locale === undefined ? {} : { locale: anchor.locale }),
                      };
                const commentId = nextCommentId(await db.approvals.status(principal, submissionId));
                await db.approvals.comment(principal, submissionId, {
                  commentId,
                  text,
                  mentions: [],
                  ...(clean === undefined ? {} : { anchor: clean }),
                });
                return reviewView(fresh(), db, principal, submissionId);
              }),
          },
        }),
  };
}

export const previewCommand: CommandSpec = {
  name: 'preview',
  description:
    'open a draft in a local preview studio (locales, widths, dark mode, diagnostics, review), or write screenshots',
  examples: [
    'hubspoke preview austin-store-opening',
    'hubspoke preview austin-store-opening --as sam    # with the review panel for Sam',
    'hubspoke preview austin-store-opening --screenshot out/shots',
  ],
  define: (c) =>
    withDatabase(
      withActor(
        c.argument('<draft>', 'draft file or id'),
        'show the review panel and decide as this principal (or HUBSPOKE_AS)',
      ),
    )
      .option('-p, --port <port>', 'port on 127.0.0.1 (default: a free one)', '0')
      .option(
        '--screenshot <dir>',
        'write PNGs for each locale × width × colour scheme with headless Chromium, then exit',
      )
      .option('--chromium <path>', 'the Chromium binary for screenshots (never downloaded)')
      .option(
        '--remote-images',
        "load images from any host; by default only the brand kit's asset and logo hosts (a tracking pixel would learn who previewed)",
      ),
  async run(ctx, [ref], options) {
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port: expected a port number from 0 to 65535, got "${String(options.port)}"`);
    const screenshotDir =
      typeof options.screenshot === 'string' ? path.resolve(ctx.cwd, options.screenshot) : undefined;
    const chromium =
      screenshotDir === undefined
        ? undefined
        : findChromium(typeof options.chromium === 'string' ? options.chromium : undefined, ctx.env);
    const project = await projectOf(ctx);
    // Screenshots show the email only, so they leave the approval database alone.
    const actingAs = screenshotDir === undefined ? actorOf(ctx, options) : undefined;
    const source = await previewSource(
      ctx,
      ref ?? '',
      actingAs,
      actingAs === undefined ? undefined : () => openDatabase(ctx, project, options),
    );
    const server = await startPreviewServer({ source, port, allowRemoteImages: options.remoteImages === true });
    try {
      if (screenshotDir !== undefined && chromium !== undefined) {
        const shots = await captureScreenshots({
          url: server.url,
          outDir: screenshotDir,
          locales: source.locales,
          chromium,
        });
        if (ctx.globals.json) ctx.term.printJson({ ok: true, screenshots: shots });
        else for (const s of shots) ctx.term.out(path.relative(ctx.cwd, s.file));
        return EXIT.ok;
      }
      if (ctx.globals.json) ctx.term.printJson({ ok: true, url: server.url });
      else
        ctx.term.out(
          `Preview of "${source.title}" at ${ctx.term.style.bold(server.url)}\n(only this machine can open it; the token keeps other local users out; Ctrl-C stops)`,
        );
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
      });
      return EXIT.ok;
    } finally {
      await server.close();
    }
  },
};
