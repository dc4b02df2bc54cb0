import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** Bundles an entry for browsers with nothing external: any Node built-in or unresolvable import fails. */
async function browserBundle(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: new URL('.', import.meta.url).pathname, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('what the editor runs in the page bundles for browsers', () => {
  it('template-engine/fill: no mjml, no Node built-ins', async () => {
    const code = await browserBundle("export * from '@hubspoke/template-engine/fill';");
    expect(code).toContain('remoteSkeletons');
    expect(code).not.toMatch(/(require\(|from |import\()["'](mjml|node:)/);
  });

  it('brand-rules/browser: no Node built-ins, no ReDoS analysers', async () => {
    const code = await browserBundle("export * from '@hubspoke/brand-rules/browser';");
    expect(code).toContain('createLinter');
    expect(code).not.toMatch(/(require\(|from |import\()["']node:|scslre|RegExpParser/);
  });
});
