import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editJson, exampleFolder } from './__fixtures__/hubs.js';
import { loadHub } from './hub.js';

describe("the brand's dark scheme in every render of the hub", () => {
  it('renders, checks and previews with the dark-mode CSS when the brand kit has darkMode, and without it otherwise', async () => {
    const dir = await exampleFolder();
    try {
      const plain = await loadHub({ cwd: dir, database: 'memory:', env: {} });
      const { draft } = await plain.draft('austin-store-opening');
      const [light] = await plain.renderAll(draft);
      const lightCheck = await plain.checkDraft(draft);
      await plain.close();
      expect(light?.email.html).not.toContain('prefers-color-scheme');

      await editJson(path.join(dir, 'brand', 'brand-kit.json'), (kit) => {
        kit.darkMode = { generate: true };
      });
      const hub = await loadHub({ cwd: dir, database: 'memory:', env: {} });
      try {
        const [dark] = await hub.renderAll(draft, { dialects: ['marketo'] });
        expect(dark?.email.html).toContain('<meta name="color-scheme" content="light dark">');
        expect(dark?.email.html).toMatch(/@media \(prefers-color-scheme: dark\)\{\.hs-d[cbr]-/);
        expect(dark?.email.html).toMatch(
          /\[data-ogsb\] \.hs-db-[0-9a-f]{6}\{background-color:#[0-9a-f]{6}!important\}/,
        );
        const check = await hub.checkDraft(draft);
        expect(check.rendered[0]?.html).toContain('prefers-color-scheme: dark');
        // The dark scheme's colours are brand colours: the palette rule finds nothing new.
        const palette = (c: typeof check) => c.diagnostics.filter((d) => d.ruleId === 'brand/palette').length;
        expect(palette(check)).toBe(palette(lightCheck));
        const preview = await hub.previewRender(draft.id, draft.defaultLocale);
        expect(preview.html).toContain('prefers-color-scheme: dark');
        expect(preview.darkHtml).toContain('<meta name="color-scheme" content="dark">');
        expect(preview.darkHtml).toMatch(/@media all\{\.hs-d/);
      } finally {
        await hub.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
