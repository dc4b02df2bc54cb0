import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../program.js';
import { tempProject } from '../test-helpers.js';

let hub: string;
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd: hub,
    env: { NO_COLOR: '1' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const EMAIL = `<mjml lang="en-US">
  <mj-head><mj-title>Spring sale</mj-title><mj-include path="partials/_head.mjml" /></mj-head>
  <mj-body>
    <!-- Header -->
    <mj-section><mj-column><mj-image src="https://cdn.northwind.example/logo.png" alt="Northwind logo" width="120px" /></mj-column></mj-section>
    <mj-section background-url="https://cdn.northwind.example/hero.jpg"><mj-column>
      <mj-text><h1 style="margin:0">Spring&nbsp;sale</h1></mj-text>
      <mj-button href="#offers">See the offers</mj-button>
    </mj-column></mj-section>
    <mj-include path="../templates/_footer.mjml" />
  </mj-body>
</mjml>
`;

beforeAll(async () => {
  hub = await tempProject();
  expect((await cli(['init'])).code).toBe(0);
  await mkdir(path.join(hub, 'emails/partials'), { recursive: true });
  await writeFile(path.join(hub, 'emails/spring.mjml'), EMAIL);
  await writeFile(
    path.join(hub, 'emails/partials/_head.mjml'),
    '<mj-attributes><mj-all font-family="Arial" /></mj-attributes>',
  );
  // A partial inside the templates folder: `_` names are not templates.
  await writeFile(
    path.join(hub, 'templates/_footer.mjml'),
    '<mj-section><mj-column><mj-text font-size="11px"><a href="https://northwind.example/unsubscribe">Unsubscribe</a></mj-text></mj-column></mj-section>',
  );
}, 60_000);

describe('hubspoke template import', () => {
  it('writes a governed template, reports every decision, and checks it renders identically', async () => {
    const dry = await cli(['template', 'import', 'emails/spring.mjml', '--as', 'hana', '--dry-run']);
    expect(dry.code).toBe(0);
    await expect(readFile(path.join(hub, 'templates/spring.mjml'), 'utf8')).rejects.toThrow();
    const r = await cli(['template', 'import', 'emails/spring.mjml', '--as', 'hana']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^header\s+header\s+pinned, locked\s+logo:image/m);
    expect(r.stdout).toMatch(/^hero\s+hero\s+editable\s+background:image headline:text cta:link/m);
    expect(r.stdout).toMatch(/^footer\s+footer\s+pinned, locked/m);
    expect(r.stdout).toContain('Inlined emails/partials/_head.mjml');
    expect(r.stdout).toContain('default draft renders identically to mjml2html');
    const written = await readFile(path.join(hub, 'templates/spring.mjml'), 'utf8');
    expect(written).toContain('hs-module="hero"');
    expect(written).toContain('hs-allow-relative="fragment"');
    // The hub loads it with the others (lint reads every template), partials aside.
    expect((await cli(['lint'])).code).toBe(0);
  }, 120_000);

  it('refuses to overwrite, refuses a spoke, and prints JSON', async () => {
    const again = await cli(['template', 'import', 'emails/spring.mjml', '--as', 'hana']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/^error E_CONFLICT: template templates\/spring\.mjml exists already/);
    const forced = await cli(['template', 'import', 'emails/spring.mjml', '--as', 'hana', '--force', '--json']);
    expect(forced.code).toBe(0);
    const json = JSON.parse(forced.stdout) as { ok: boolean; id: string; check: { identical: boolean } };
    expect(json).toMatchObject({ ok: true, id: 'spring', check: { identical: true } });
    const spoke = await cli(['template', 'import', 'emails/spring.mjml', '--as', 'jo', '--id', 'mine']);
    expect(spoke.stderr).toMatch(/^error E_FORBIDDEN/);
    expect((await cli(['template', 'frobnicate', 'x'])).stderr).toContain('use import');
  }, 120_000);
});
