import path from 'node:path';
import type { Decision } from '@hubspoke/core';
import type { SubmissionState } from '@hubspoke/approval-state';
import { render } from '@hubspoke/template-engine';
import { openApprovals, type OpenApprovals } from '../approvals-db.js';
import { checkDraft, localesOf } from '../checks.js';
import { EXIT } from '../output/exit-codes.js';
import { Project } from '../project.js';
import { captureScreenshots, findChromium } from '../preview/screenshots.js';
import { startPreviewServer } from '../preview/server.js';
import type { PreviewSource, ReviewView } from '../preview/types.js';
import type { CommandContext, CommandSpec } from '../program.js';

const DECIDE: Decision[] = ['approved', 'approvedWithChanges', 'changesRequired', 'notRelevant'];

async function reviewView(project: Project, db: OpenApprovals, principalId: string, submissionId: string): Promise<ReviewView> {
  const principal = await project.principal(principalId);
  const state: SubmissionState = await db.approvals.status(principal, submissionId);
  const workflow = await project.workflow();
  const active = state.stages.filter((s) => s.status === 'active' && (s.assignees.includes(principal.id) || (s.escalated?.assignees.includes(principal.id) ?? false)) && s.decisions[principal.id] === undefined);
  const rejectable = active.some((s) => workflow.stages.find((d) => d.id === s.id)?.allowReject === true);
  return {
    submissionId,
    status: state.status,
    actingAs: principal.id,
    stages: state.stages.map((s) => ({ id: s.id, name: s.name, status: s.status, decisions: Object.entries(s.decisions).map(([reviewer, d]) => ({ reviewer, decision: d.decision })) })),
    comments: state.comments.map((c) => ({ id: c.id, author: c.author, text: c.text, resolved: c.resolved, outdated: c.outdated, ...(c.anchor === undefined ? {} : { anchor: c.anchor }) })),
    allowedDecisions: active.length === 0 ? [] : rejectable ? [...DECIDE, 'rejected'] : DECIDE,
  };
}

/** The preview's view of a draft, re-read from disk on every request so edits show at once. */
export async function previewSource(ctx: CommandContext, draftRef: string, actingAs: string | undefined, db: OpenApprovals | undefined): Promise<PreviewSource> {
  const loaded = await ctx.config();
  const first = new Project(loaded);
  const { draft, file } = await first.draft(draftRef);
  const fresh = () => new Project(loaded);
  const submissionId = db === undefined || actingAs === undefined
    ? undefined
    : (await db.approvals.list(await first.principal(actingAs), { limit: 500 })).filter((s) => s.draftId === draft.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]?.submissionId;
  const templateFiles = (await first.templates()).map((t) => t.id);
  return {
    title: draft.name,
    locales: localesOf(draft),
    contacts: loaded.config.sampleContacts.map((c) => ({ id: c.id, label: c.label ?? c.id })),
    watch: [file, first.path(loaded.config.brandKit), ...templateFiles.map((id) => first.path(path.join(loaded.config.templates, `${id}.mjml`)))],
    async render(locale, contactId) {
      const project = fresh();
      const current = (await project.draft(file)).draft;
      const template = await project.template(current.template.id, current.template.version);
      const contact = loaded.config.sampleContacts.find((c) => c.id === contactId);
      const email = await render(template, current, { locale, dialect: 'preview', fieldMap: loaded.config.fieldMap, annotate: true, ...(contact === undefined ? {} : { sampleContact: contact }) });
      const check = await checkDraft(project, file, current);
      const diagnostics = check.diagnostics.filter((d) => d.location.locale === undefined || d.location.locale === locale);
      return { subject: email.subject, preheader: email.preheader, html: email.html, diagnostics };
    },
    ...(db === undefined || actingAs === undefined || submissionId === undefined
      ? {}
      : {
          review: {
            view: () => reviewView(fresh(), db, actingAs, submissionId),
            async decide(decision, comment) {
              const project = fresh();
              const principal = await project.principal(actingAs);
              if (comment !== undefined) await db.approvals.comment(principal, submissionId, { text: comment, mentions: [] });
              await db.approvals.decide(principal, submissionId, { decision: decision as Decision });
              return reviewView(project, db, actingAs, submissionId);
            },
            async comment(text, anchor) {
              const project = fresh();
              const principal = await project.principal(actingAs);
              const clean = anchor?.instanceId === undefined ? undefined : { instanceId: anchor.instanceId, ...(anchor.slotId === undefined ? {} : { slotId: anchor.slotId }), ...(anchor.locale === undefined ? {} : { locale: anchor.locale }) };
              await db.approvals.comment(principal, submissionId, { text, mentions: [], ...(clean === undefined ? {} : { anchor: clean }) });
              return reviewView(project, db, actingAs, submissionId);
            },
          },
        }),
  };
}

export const previewCommand: CommandSpec = {
  name: 'preview',
  description: 'open a draft in a local preview studio (locales, widths, dark mode, diagnostics, review), or write screenshots',
  examples: [
    'hubspoke preview berlin-spring',
    'hubspoke preview berlin-spring --as ravi          # with the review panel for Ravi',
    'hubspoke preview berlin-spring --screenshot out/shots',
  ],
  define: (c) =>
    c
      .argument('<draft>', 'draft file or id')
      .option('-p, --port <port>', 'port on 127.0.0.1 (default: a free one)', '0')
      .option('--as <id>', 'show the review panel and decide as this principal')
      .option('--screenshot <dir>', 'write PNGs for each locale × width × colour scheme with headless Chromium, then exit')
      .option('--chromium <path>', 'the Chromium binary for screenshots (never downloaded)')
      .option('--database-url <url>', 'PostgreSQL URL (default: embedded PGlite in .hubspoke/approvals)'),
  async run(ctx, [ref], options) {
    const port = Number(options.port);
    const actingAs = (options.as as string | undefined) ?? ctx.env.HUBSPOKE_AS;
    const project = new Project(await ctx.config());
    const db = actingAs === undefined ? undefined : await openApprovals(project, (options.databaseUrl as string | undefined) ?? ctx.env.HUBSPOKE_DATABASE_URL);
    try {
      const source = await previewSource(ctx, ref ?? '', actingAs, db);
      const server = await startPreviewServer({ source, port: Number.isInteger(port) ? port : 0 });
      try {
        if (typeof options.screenshot === 'string') {
          const chromium = findChromium(options.chromium as string | undefined, ctx.env);
          const shots = await captureScreenshots({ url: server.url, outDir: path.resolve(ctx.cwd, options.screenshot), locales: source.locales, chromium });
          if (ctx.globals.json) ctx.term.printJson({ ok: true, screenshots: shots });
          else for (const s of shots) ctx.term.out(path.relative(ctx.cwd, s.file));
          return EXIT.ok;
        }
        if (ctx.globals.json) ctx.term.printJson({ ok: true, url: server.url });
        else ctx.term.out(`Preview of "${source.title}" at ${ctx.term.style.bold(server.url)}\n(only this machine can open it; the token keeps other local users out; Ctrl-C stops)`);
        await new Promise<void>((resolve) => {
          if (ctx.signal.aborted) resolve();
          ctx.signal.addEventListener('abort', () => {
            resolve();
          }, { once: true });
        });
        return EXIT.ok;
      } finally {
        await server.close();
      }
    } finally {
      await db?.close();
    }
  },
};
