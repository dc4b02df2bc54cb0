import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** What the story over HTTP did, for the narration and the test. */
export interface ServerStory {
  url: string;
  submissions: { berlin: string; austin: string };
  /** Error-level lint findings of each author's draft, as created and after their edit. */
  lint: Record<string, { before: number; after: number }>;
  /** The status of each stale save (a second tab's write with an old ETag). */
  staleSaves: number[];
  final: { berlin: string; austin: string };
  /** Who made each decision, by stage, as the server recorded them. */
  decisions: { submission: string; stage: string; by: string }[];
  audit: Record<
    'berlin' | 'austin',
    {
      verified: boolean;
      events: number;
      people: { id: string; issuer?: string; subject?: string; name?: string }[];
    }
  >;
}

interface Stage {
  id: string;
  status: string;
  assignees: string[];
}

interface Init {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Person {
  id: string;
  /** The response, whatever its status. */
  fetch: (path: string, init?: Init) => Promise<Response>;
  /** The response; anything but 2xx stops the story with the problem's text. */
  call: (path: string, init?: Init) => Promise<Response>;
}

/** The `hubspoke` command of the installed CLI package (its committed bin launcher). */
function hubspokeBin(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@hubspoke/cli/package.json')), 'bin', 'hubspoke.js');
}

/**
 * HQ starts `hubspoke serve --dev` on 127.0.0.1 (a free port) over the hub's database; Berlin and
 * Austin sign in as themselves, create, edit and submit drafts over HTTP; each stage's reviewers
 * decide as themselves; the audit export verifies and names everyone. Stops the server at the end.
 */
export async function runServerStory(hub: string, say: (line: string) => void): Promise<ServerStory> {
  say('  $ hubspoke serve --dev --port 0');
  const child = spawn(process.execPath, [hubspokeBin(), 'serve', '--dev', '--port', '0'], {
    cwd: hub,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'listening' && typeof entry.url === 'string') resolve(entry.url);
        } catch {
          // not a log line
        }
      });
      void exited.then((code) => {
        reject(new Error(`hubspoke serve exited with ${String(code)}: ${stderr.trim()}`));
      });
    });
    while (!stderr.includes('DEVELOPMENT MODE')) await new Promise((resolve) => setTimeout(resolve, 20));
    say(`    ${stderr.trim().split('\n')[0] ?? ''}`);

    const people = new Map<string, Person>();
    /** Signs in on the dev page as a person of the directory; every later request carries their session. */
    const as = async (id: string): Promise<Person> => {
      const known = people.get(id);
      if (known !== undefined) return known;
      const res = await fetch(`${url}/auth/dev/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ person: id }),
      });
      if (res.status !== 200) throw new Error(`sign-in as ${id}: ${String(res.status)} ${await res.text()}`);
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      const send = (p: string, init: Init = {}) =>
        fetch(`${url}${p}`, {
          method: init.method ?? 'GET',
          headers: {
            cookie,
            'x-csrf-token': csrfToken,
            ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...init.headers,
          },
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        });
      const person: Person = {
        id,
        fetch: send,
        call: async (p, init = {}) => {
          const response = await send(p, init);
          if (!response.ok) {
            throw new Error(
              `${id}: ${init.method ?? 'GET'} ${p} → ${String(response.status)} ${await response.text()}`,
            );
          }
          return response;
        },
      };
      people.set(id, person);
      return person;
    };
    const json = async <T>(response: Promise<Response>): Promise<T> => (await (await response).json()) as T;

    interface DraftBody {
      defaultLocale: string;
      region: string;
      modules: { instanceId: string; moduleId: string }[];
      content: Record<string, { slots: Record<string, Record<string, unknown>> }>;
    }
    const errorsOf = async (person: Person, id: string) => {
      const check = await json<{ diagnostics: { severity: string; ruleId: string }[] }>(
        person.call(`/api/drafts/${id}/check`),
      );
      return check.diagnostics.filter((d) => d.severity === 'error').map((d) => d.ruleId);
    };

    /**
     * A spoke creates a draft from HQ's template, reads its lint over HTTP, fills in what it asks
     * for (headline, feature title, the region's legal line in the footer) and saves with If-Match,
     * sees a stale save from a second tab refused, and submits.
     */
    const draftAndSubmit = async (
      author: string,
      id: string,
      name: string,
      text: { headline: string; feature: string; footer: string },
    ): Promise<string> => {
      const person = await as(author);
      const created = await person.call('/api/drafts', {
        method: 'POST',
        body: { id, name, template: { id: 'seasonal-newsletter' } },
      });
      const { draft } = (await created.json()) as { draft: DraftBody };
      const firstEtag = created.headers.get('etag') ?? '"1"';
      const before = await errorsOf(person, id);
      say(`  ${author} (${draft.region}) created ${id}; lint asks for: ${before.join(', ')}`);
      const slots = (draft.content[draft.defaultLocale] ??= { slots: {} }).slots;
      const instance = (moduleId: string) => draft.modules.find((m) => m.moduleId === moduleId)?.instanceId ?? moduleId;
      (slots[instance('hero')] ??= {}).headline = text.headline;
      (slots[instance('feature')] ??= {}).title = text.feature;
      (slots[instance('footer')] ??= {}).address = text.footer;
      const saved = await person.call(`/api/drafts/${id}`, {
        method: 'PUT',
        body: draft,
        headers: { 'if-match': firstEtag },
      });
      const after = await errorsOf(person, id);
      say(
        `  ${author} saved "${text.headline}" (ETag ${saved.headers.get('etag') ?? '?'}); lint errors left: ${String(after.length)}`,
      );
      const stale = await person.fetch(`/api/drafts/${id}`, {
        method: 'PUT',
        body: draft,
        headers: { 'if-match': firstEtag },
      });
      say(`  a stale save of ${id} from ${author}'s second tab (If-Match ${firstEtag}) gets ${String(stale.status)}`);
      const { submissionId } = await json<{ submissionId: string }>(
        person.call(`/api/drafts/${id}/submissions`, { method: 'POST', body: {} }),
      );
      say(`  ${author} submitted ${id} as ${submissionId}`);
      lint[author] = { before: before.length, after: after.length };
      staleSaves.push(stale.status);
      return submissionId;
    };
    const lint: ServerStory['lint'] = {};
    const staleSaves: number[] = [];

    const berlin = await draftAndSubmit('lena', 'berlin-summer', 'Sommer-Newsletter', {
      headline: 'Sommer auf dem Trail',
      feature: 'Zelt Alpine 2',
      footer: 'Northwind Trails GmbH · Torstraße 1 · 10119 Berlin · HRB 123456 B',
    });
    const austin = await draftAndSubmit('jo', 'austin-summer', 'Summer newsletter', {
      headline: 'Summer trails start here',
      feature: 'Ridge trail boots',
      footer: 'Northwind Trails Inc. · 500 Congress Ave · Austin, TX 78701',
    });

    /** Each active stage's first assignee decides, signed in as themselves, until the submission leaves review. */
    const decisions: ServerStory['decisions'] = [];
    const review = async (submissionId: string): Promise<string> => {
      const hana = await as('hana');
      for (let round = 0; round < 6; round++) {
        const state = await json<{ status: string; stages: Stage[] }>(hana.call(`/api/submissions/${submissionId}`));
        if (state.status !== 'inReview') return state.status;
        for (const stage of state.stages.filter((s) => s.status === 'active')) {
          const reviewer = stage.assignees[0];
          if (reviewer === undefined) throw new Error(`stage ${stage.id} of ${submissionId} has nobody assigned`);
          const person = await as(reviewer);
          await person.call(`/api/submissions/${submissionId}/decisions`, {
            method: 'POST',
            body: { verdict: 'approved', stageId: stage.id },
          });
          decisions.push({ submission: submissionId, stage: stage.id, by: reviewer });
          say(`  ${reviewer} approved the ${stage.id} stage of ${submissionId}`);
        }
      }
      throw new Error(`${submissionId} never left review`);
    };
    const final = { berlin: await review(berlin), austin: await review(austin) };

    const hana = await as('hana');
    const exportOf = async (submissionId: string) => {
      const audit = await json<{
        verification: { ok: boolean };
        events: unknown[];
        people: { id: string; issuer?: string; subject?: string; name?: string }[];
      }>(hana.call(`/api/submissions/${encodeURIComponent(submissionId)}/audit`));
      say(
        `  audit of ${submissionId}: ${audit.verification.ok ? 'verifies' : 'DOES NOT VERIFY'}, ${String(audit.events.length)} events by ${audit.people
          .map((p) => `${p.name ?? p.id} (${p.issuer ?? '?'}:${p.subject ?? '?'})`)
          .join(', ')}`,
      );
      return { verified: audit.verification.ok, events: audit.events.length, people: audit.people };
    };
    const audit = { berlin: await exportOf(berlin), austin: await exportOf(austin) };
    return { url, submissions: { berlin, austin }, lint, staleSaves, final, decisions, audit };
  } finally {
    child.kill('SIGTERM');
    const code = await exited;
    say(`  (the server stopped${code === 0 ? '' : ` with exit ${String(code)}`})`);
  }
}
