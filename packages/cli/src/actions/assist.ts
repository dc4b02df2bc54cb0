import type { Draft } from '@hubspoke/core';
import type { Hub } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { actorOf, countOption, listOption } from '../commands/options.js';
import { hubOf } from './hub-context.js';

const TASKS = ['subject', 'preheader', 'alt-text', 'translate'];

/** The offline provider unless `--provider openai` names a server through the environment. */
async function providerOf(name: unknown, env: Record<string, string | undefined>) {
  const assist = await import('@hubspoke/assist');
  if (name === 'offline') return assist.createOfflineProvider();
  if (name !== 'openai') throw new UsageError(`--provider: expected offline or openai, got "${String(name)}"`);
  const [baseUrl, model, apiKey] = [env.HUBSPOKE_AI_BASE_URL, env.HUBSPOKE_AI_MODEL, env.HUBSPOKE_AI_API_KEY];
  if (baseUrl === undefined || baseUrl === '') throw new UsageError('--provider openai: set HUBSPOKE_AI_BASE_URL');
  if (model === undefined || model === '') throw new UsageError('--provider openai: set HUBSPOKE_AI_MODEL');
  return assist.createOpenAiCompatibleProvider({ baseUrl, model, ...(apiKey ? { apiKey } : {}) });
}

/** The hub's brand rules on one candidate text, as assist's `brandCheck`: the candidate linted in a draft of its own. */
async function brandCheckOf(hub: Hub, draft: Draft) {
  const linter = await hub.linter();
  return ({ field, text, locale }: { field: string; text: string; locale: string }) => {
    const as = field === 'preheader' ? 'preheader' : 'subject';
    const probe: Draft = { ...draft, defaultLocale: locale, content: { [locale]: { [as]: text, slots: {} } } };
    return linter
      .lint({ draft: probe, locales: [locale] })
      .diagnostics.filter((d) => d.location.field === as && (as === field || d.ruleId !== 'brand/subject-line'));
  };
}

export const run: CommandSpec['run'] = async (ctx, [task, ref], options) => {
  if (task === undefined || !TASKS.includes(task))
    throw new UsageError(`<task>: expected one of ${TASKS.join(', ')}, got "${String(task)}"`);
  const hub = await hubOf(ctx);
  const sourced = await hub.draft(ref ?? '');
  const { draft } = sourced;
  const template = await hub.template(draft.template.id, draft.template.version);
  const provider = await providerOf(options.provider, ctx.env);
  const brandCheck = await brandCheckOf(hub, draft);
  const assist = await import('@hubspoke/assist');
  const locale = typeof options.locale === 'string' ? options.locale : draft.defaultLocale;
  const common = { provider, draft, template, brandCheck, signal: ctx.signal };
  const say = (notices: readonly string[]) => {
    for (const n of notices) ctx.term.err(ctx.term.style.dim(n));
  };
  let result: { notices: string[] };
  let changed: Draft | undefined;
  if (task === 'subject' || task === 'preheader') {
    const r = await assist.suggestSubjectLines({
      ...common,
      field: task,
      locale,
      count: countOption(options.count, '--count', 1),
      tone: options.tone as 'neutral',
    });
    result = r;
    if (!ctx.globals.json) {
      r.variants.forEach((v, i) => {
        ctx.term.out(`${i + 1}. ${v.text}`);
      });
      const blocked = r.rejected.filter((x) => x.reason === 'brand').length;
      if (blocked > 0) ctx.term.err(`${blocked} more failed the brand rules and are not shown`);
    }
  } else if (task === 'alt-text') {
    const r = await assist.suggestAltText({ ...common, locales: [locale] });
    result = r;
    const found = r.suggestions.filter((s) => s.alt !== undefined);
    if (options.write === true && found.length > 0) changed = assist.applyAltText(draft, found);
    if (!ctx.globals.json) {
      if (r.suggestions.length === 0) ctx.term.out(`every image of ${draft.id} has alt text`);
      for (const s of r.suggestions)
        ctx.term.out(
          `${s.instanceId}/${s.slotId} (${s.locale}): ${s.alt === undefined ? '(none found)' : `"${s.alt}"`}`,
        );
    }
  } else {
    const targets = listOption(options.to);
    if (targets.length === 0) throw new UsageError('translate: name the target locales with --to, e.g. --to de-DE');
    const r = await assist.translateDraft({ draft, template, translator: provider, targetLocales: targets });
    result = r;
    if (options.write === true) changed = r.draft;
    if (!ctx.globals.json)
      for (const [target, units] of Object.entries(r.units))
        for (const u of units) ctx.term.out(`${target}  ${u.id}  ${u.status}  ${u.value ?? u.target ?? ''}`);
  }
  if (changed !== undefined) {
    const actor = actorOf(ctx, options);
    const principal = actor === undefined ? undefined : await hub.principal(actor);
    if (principal !== undefined)
      await hub.authorize(principal, 'draft.edit', { region: draft.region, team: draft.team, ownerId: draft.author });
    else if (hub.source.kind === 'store')
      throw new UsageError('--write: say who saves the draft of a hub store (--as)');
    await hub.source.drafts.update(changed, sourced.version, principal?.id ?? draft.author);
    if (!ctx.globals.json) ctx.term.err(ctx.term.style.green(`saved ${draft.id}`));
  }
  if (ctx.globals.json)
    ctx.term.printJson({ ok: true, task, draft: draft.id, ...result, saved: changed !== undefined });
  else say(result.notices);
  return EXIT.ok;
};
