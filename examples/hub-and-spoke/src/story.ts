import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyAltText, createOfflineProvider, suggestAltText } from '@hubspoke/assist';
import { run } from '@hubspoke/cli';
import { parseDraft, type Draft } from '@hubspoke/core';
import { loadHub } from '@hubspoke/hub';
import { austinDraft, berlinDraft } from './drafts.js';
import { metricsCsv } from './metrics.js';
import { runServerStory, type ServerStory } from './server-story.js';

export interface Step {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** A step of the story did not go as told. */
export class DemoError extends Error {
  constructor(
    message: string,
    readonly step: Step,
  ) {
    super(message);
    this.name = 'DemoError';
  }
}

export interface DemoResult {
  hub: string;
  steps: Step[];
  /** Lint counts of Austin's draft before and after --fix and Jo's edits. */
  austinLint: { before: Record<string, number>; afterFix: Record<string, number>; final: Record<string, number> };
  routing: { berlin: Record<string, string>; austin: Record<string, string> };
  final: { berlin: string; austin: string };
  files: string[];
  /** Step 6: the summer campaigns through `hubspoke serve --dev`, each person signed in as themselves. */
  server: ServerStory;
}

interface Options {
  outDir: string;
  /** Where the narration goes (stdout for `pnpm demo`, nowhere in tests). */
  say: (line: string) => void;
}

function sink() {
  let text = '';
  return {
    write: (s: string) => (text += s),
    get text() {
      return text;
    },
    isTTY: false,
  };
}

/** The whole hub-and-spoke story, run through the real `hubspoke` commands. */
export async function runDemo({ outDir, say }: Options): Promise<DemoResult> {
  const hub = path.join(outDir, 'northwind-hub');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const steps: Step[] = [];

  /** Runs one command; any exit code but 0 (or 1 for lint findings) stops the story with its error. */
  const hs = async (args: string[], show: 'all' | 'quiet' = 'all'): Promise<Step> => {
    const stdout = sink();
    const stderr = sink();
    const code = await run(args, { cwd: hub, env: { NO_COLOR: '1', PATH: process.env.PATH }, stdout, stderr });
    const step = { args, code, stdout: stdout.text, stderr: stderr.text };
    steps.push(step);
    const line = `$ hubspoke ${args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`;
    say(`  ${line}${code === 0 ? '' : `   (exit ${code})`}`);
    if (show === 'all')
      for (const out of `${stdout.text}${stderr.text}`.trimEnd().split('\n')) if (out !== '') say(`    ${out}`);
    if (code !== 0 && !(args[0] === 'lint' && code === 1))
      throw new DemoError(`${line} failed with exit ${code}: ${stderr.text.trim()}`, step);
    return step;
  };
  const json = (step: Step): unknown => JSON.parse(step.stdout);
  const draftFile = (id: string) => path.join(hub, 'drafts', `${id}.json`);
  const readDraft = async (id: string): Promise<Draft> => parseDraft(JSON.parse(await readFile(draftFile(id), 'utf8')));
  const writeDraft = (draft: Draft | typeof berlinDraft) =>
    writeFile(draftFile(draft.id), `${JSON.stringify(draft, null, 2)}\n`);
  const counts = async (id: string) => {
    const step = await hs(['lint', `drafts/${id}.json`, '--format', 'json'], 'quiet');
    const diagnostics = (json(step) as { diagnostics: { severity: string }[] }[]).flatMap((f) => f.diagnostics);
    return {
      error: diagnostics.filter((d) => d.severity === 'error').length,
      warning: diagnostics.filter((d) => d.severity === 'warning').length,
    };
  };
  const stages = (step: Step) =>
    Object.fromEntries(
      (json(step) as { stages: { id: string; status: string }[] }).stages.map((s) => [s.id, s.status]),
    );

  say('1. HQ sets up the hub: brand kit, a newsletter template (pinned header and footer, six');
  say('   modules), a review workflow, and OKRs for EMEA, NA and one cross-team objective.');
  await mkdir(hub, { recursive: true });
  await hs(['init']);

  say('');
  say('2. Two spokes draft their spring newsletters the same day.');
  await writeDraft(berlinDraft);
  await writeDraft(austinDraft);
  say("   Lena (Berlin, de-DE) adds the members' offer; Jo (Austin, en-US) keeps HQ's layout.");
  const before = await counts('austin-spring');
  await hs(['lint', 'drafts/austin-spring.json', '--format', 'compact']);
  say('   Jo runs the safe fixes: the http link becomes https and gets its UTM parameters.');
  await hs(['lint', 'drafts/austin-spring.json', '--fix', '--format', 'compact']);
  const afterFix = await counts('austin-spring');
  say('   The rest needs a person. The offline assistant (rule-based, no AI) proposes alt text:');
  const northwind = await loadHub({ cwd: hub });
  const template = await northwind.template('seasonal-newsletter', 1);
  const provider = createOfflineProvider();
  let austin = await readDraft('austin-spring');
  const alt = await suggestAltText({ provider, draft: austin, template });
  for (const s of alt.suggestions) say(`    ${s.instanceId}/${s.slotId}: "${s.alt}"`);
  austin = applyAltText(austin, alt.suggestions);
  const slots = austin.content['en-US']?.slots;
  if (slots?.['hero-1'] !== undefined) slots['hero-1'].headline = 'Great-value gear for spring trails';
  if (slots?.['closing-1'] !== undefined) slots['closing-1'].background = '#F4F6F8';
  await writeDraft(austin);
  say('   …and Jo picks "great-value" over "cheap" and Mist, a palette colour, for the background.');
  await hs(['lint', 'drafts/austin-spring.json']);
  const final = await counts('austin-spring');

  say('');
  say('3. Review. Routing reads what each draft changed.');
  const berlinSubmit = await hs(['submit', 'berlin-spring', '--as', 'lena', '--json'], 'quiet');
  const austinSubmit = await hs(['submit', 'austin-spring', '--as', 'jo', '--json'], 'quiet');
  const routing = { berlin: stages(berlinSubmit), austin: stages(austinSubmit) };
  say(
    `    Berlin: ${Object.entries(routing.berlin)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} — new module, pricing claim, new locale`,
  );
  say(
    `    Austin: ${Object.entries(routing.austin)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} — only editable text changed, lint clean`,
  );
  await hs(['decide', 'berlin-spring', 'approve', '--as', 'bea']);
  await hs([
    'comment',
    'berlin-spring',
    'Bitte "inkl. MwSt." beim Preis ergänzen.',
    '--as',
    'lee',
    '--slot',
    'offer-1/terms',
    '--locale',
    'de-DE',
  ]);
  await hs(['decide', 'berlin-spring', 'request-changes', '--as', 'lee', '--reason', 'Price needs "inkl. MwSt."']);
  say('   Lena adds the VAT note and resubmits; the workflow restarts at legal, the stage that asked.');
  const berlin = await readDraft('berlin-spring');
  const offer = berlin.content['de-DE']?.slots['offer-1'];
  if (offer !== undefined) offer.terms = 'Mitgliederpreise inkl. MwSt., gültig bis 31. Mai.';
  await writeDraft({ ...berlin, version: berlin.version + 1 });
  await hs(['submit', 'berlin-spring', '--as', 'lena']);
  await hs(['comment', 'berlin-spring', '--resolve', 'c-1', '--as', 'lee']);
  await hs(['decide', 'berlin-spring', 'approve', '--as', 'lee']);
  await hs(['decide', 'berlin-spring', 'approve', '--as', 'ravi']);
  await hs(['decide', 'austin-spring', 'approve', '--as', 'sam']);
  say("   Each review request and task went into the outbox with the event that caused it; HQ's");
  say('   cron job delivers them (to files here; to Slack, Teams, Asana or monday.com in production).');
  await hs(['effects', '--dispatch', '--connector', 'fs']);

  say('');
  say('4. Render for Marketo and SFMC, publish to the fs exporter, and measure.');
  await hs(['render', 'berlin-spring', 'austin-spring', '--dialect', 'marketo,sfmc']);
  await hs(['push', 'berlin-spring', '--as', 'lena']);
  await hs(['push', 'austin-spring', '--as', 'jo']);
  await writeFile(path.join(hub, 'spring-results.csv'), metricsCsv());
  await hs(['metrics', 'import', 'spring-results.csv', '--as', 'ana']);
  await hs(['okr', 'report', '--as-of', '2026-05-31', '--format', 'svg', '--out', 'out/okr-report.svg']);
  await hs(['okr', 'report', '--as-of', '2026-05-31', '--out', 'out/okr-report.md']);

  say('');
  say('5. HQ copies the hub into its database (what a shared hub server serves) and back out as files for git.');
  await hs(['hub', 'import', '.', '--as', 'hana']);
  await hs(['hub', 'export', 'out/hub-in-git']);
  const finalStates = {
    berlin: (json(await hs(['status', 'berlin-spring', '--as', 'hana', '--json'], 'quiet')) as { status: string })
      .status,
    austin: (json(await hs(['status', 'austin-spring', '--as', 'hana', '--json'], 'quiet')) as { status: string })
      .status,
  };

  say('');
  say('6. The same hub as a service: HQ starts `hubspoke serve --dev`; Berlin and Austin draft and');
  say('   submit their summer newsletters over HTTP, signed in as themselves; each reviewer decides as');
  say('   themselves, and the audit export verifies and names every person who acted.');
  const server = await runServerStory(hub, say);

  const files = [
    'out/render/berlin-spring/de-DE/marketo.html',
    'out/render/austin-spring/en-US/sfmc.html',
    'out/export/berlin-spring/v2/de-DE/email.html',
    'out/export/austin-spring/v1/en-US/email.html',
    'out/okr-report.svg',
    'out/okr-report.md',
    'out/export/outbox/notifications.jsonl',
    'out/export/outbox/tasks.jsonl',
    'out/hub-in-git/hubspoke.config.json',
    'out/hub-in-git/drafts/berlin-spring.json',
  ];
  return { hub, steps, austinLint: { before, afterFix, final }, routing, final: finalStates, files, server };
}
