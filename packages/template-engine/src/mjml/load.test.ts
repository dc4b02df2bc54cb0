import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { draftOf, mjml, template } from '../__fixtures__/fixtures.js';
import { render, verifySkeleton } from '../render/render.js';

describe('MJML 5 pitfalls', () => {
  it('never runs component code a .mjmlconfig in the working directory lists, and leaves MJML_BROWSER as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-mjmlconfig-'));
    try {
      const marker = join(dir, 'pwned');
      // mjml-core reads .mjmlconfig from the cwd on load and require()s the component packages it lists.
      writeFileSync(
        join(dir, 'evil.js'),
        `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = {};`,
      );
      writeFileSync(join(dir, '.mjmlconfig'), JSON.stringify({ packages: ['./evil.js'] }));
      const index = fileURLToPath(new URL('../index.ts', import.meta.url));
      const script = `
        const api = await import(${JSON.stringify(index)});
        const r = api.parseTemplate('<mjml hs-id="t"><mj-head><mj-title>S</mj-title></mj-head><mj-body><mj-section hs-module="m"><mj-column><mj-text>x</mj-text></mj-column></mj-section></mj-body></mjml>');
        const email = await api.render(r.template, api.createDraft(r.template, { id: 'd', name: 'd', author: 'a' }));
        console.log(JSON.stringify({ bytes: email.bytes, env: process.env.MJML_BROWSER ?? null }));`;
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const out = execFileSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, MJML_BROWSER: undefined },
      });
      const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { bytes: number; env: string | null };
      expect(result.bytes).toBeGreaterThan(1000);
      expect(result.env).toBeNull();
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders templates whose own CSS holds platform tokens without hanging (no minify)', async () => {
    const t = template(
      mjml(
        '<mj-section hs-module="m"><mj-column><mj-text css-class="x" hs-slot="t" hs-kind="text">Hi</mj-text></mj-column></mj-section>',
        '<mj-title>S</mj-title><mj-style>.x div { color: {{brand_color}}; }</mj-style>',
      ),
    );
    const email = await render(t, draftOf(t, ['m']));
    expect(email.html).toContain('color: {{brand_color}}');
  });

  it('fills colour attributes without mjml validation noise and equal to a full compile', async () => {
    const t = template(
      mjml(
        '<mj-section hs-module="m" background-color="#ffffff" hs-slot="bg" hs-kind="color" hs-attr="background-color"><mj-column><mj-button background-color="#000000" hs-slot="btn" hs-kind="color" hs-attr="background-color, color" href="https://x.example">Go</mj-button></mj-column></mj-section>',
      ),
    );
    const draft = draftOf(t, ['m'], { en: { slots: { m: { bg: '#FA0', btn: '#123456' } } } });
    const email = await render(t, draft);
    expect(email.html).toContain('background:#ffaa00;background-color:#ffaa00');
    expect(email.html).toMatch(/color:#123456/);
    expect(email.diagnostics).toEqual([]);
    expect((await verifySkeleton(t, draft)).equal).toBe(true);
  });
});
