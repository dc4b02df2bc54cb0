import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../program.js';
import { tempProject } from '../test-helpers.js';

let hub: string;

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd: hub,
    env: { NO_COLOR: '1', ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  hub = await tempProject();
  expect((await cli(['init'])).code).toBe(0);
});

describe('hubspoke assist', () => {
  it('suggests subject lines offline that keep the personalization token whole and pass the brand rules', async () => {
    const r = await cli(['assist', 'subject', 'austin-store-opening', '--count', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { variants: { text: string; diagnostics: unknown[] }[]; notices: string[] };
    expect(result.variants).toHaveLength(3);
    for (const v of result.variants) expect(v.text).toContain('{{ contact.firstName | default: "Friends" }}');
    expect(result.notices[0]).toMatch(/offline provider: no AI model was called/);
  });

  it('rejects a candidate the brand rules refuse (a banned term in the topic)', async () => {
    const file = path.join(hub, 'drafts/austin-store-opening.json');
    const draft = JSON.parse(await readFile(file, 'utf8')) as { content: Record<string, { subject: string }> };
    const { writeFile } = await import('node:fs/promises');
    draft.content['en-US']!.subject = 'Cheap boots in Austin';
    await writeFile(file, JSON.stringify(draft, null, 2));
    const r = await cli(['assist', 'subject', 'austin-store-opening', '--json']);
    const result = JSON.parse(r.stdout) as {
      variants: unknown[];
      rejected: { reason: string; diagnostics: { ruleId: string }[] }[];
    };
    expect(result.variants).toEqual([]);
    expect(
      result.rejected.some((x) => x.reason === 'brand' && x.diagnostics.some((d) => d.ruleId === 'brand/banned-term')),
    ).toBe(true);
  });

  it('translates (pseudo-translation offline), and saves with --write', async () => {
    const shown = await cli(['assist', 'translate', 'austin-store-opening', '--to', 'de-DE']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^de-DE {2}slots\/message-1\/headline {2}translated {2}\[/m);
    expect(shown.stderr).toMatch(/Pseudo-translation/);
    const saved = await cli(['assist', 'translate', 'austin-store-opening', '--to', 'de-DE', '--write']);
    expect(saved.stderr).toContain('saved austin-store-opening');
    const draft = JSON.parse(await readFile(path.join(hub, 'drafts/austin-store-opening.json'), 'utf8')) as {
      content: Record<string, unknown>;
    };
    expect(Object.keys(draft.content).sort()).toEqual(['de-DE', 'en-US']);
  });

  it('says what is missing: the task, the target locale, the model server', async () => {
    expect((await cli(['assist', 'poem', 'austin-store-opening'])).stderr).toMatch(/<task>: expected one of subject/);
    expect((await cli(['assist', 'translate', 'austin-store-opening'])).stderr).toMatch(/--to/);
    const openai = await cli(['assist', 'subject', 'austin-store-opening', '--provider', 'openai']);
    expect(openai.code).toBe(2);
    expect(openai.stderr).toMatch(/HUBSPOKE_AI_BASE_URL/);
  });
});
