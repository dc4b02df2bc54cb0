import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import buildConfig from '../tsup.config.js';
import { annotatePureCalls } from '../scripts/pure-calls.js';

const entry = fileURLToPath(new URL('index.ts', import.meta.url));

/** Core as one file, the way the package ships it: with the build's esbuild plugins, or none. */
async function coreBundle(withBuildPlugins: boolean): Promise<string> {
  const plugins = withBuildPlugins ? ((buildConfig as { esbuildPlugins?: Plugin[] }).esbuildPlugins ?? []) : [];
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    external: ['zod'],
    write: false,
    plugins,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'hubspoke-core-'));
  await writeFile(path.join(dir, 'core.js'), result.outputFiles[0]?.text ?? '');
  return dir;
}

/** A consumer's minified bundle that imports `names` from that file (zod left out). */
async function consumerOf(coreDir: string, names: string): Promise<string> {
  const result = await build({
    stdin: { contents: `import { ${names} } from './core.js'; console.log(${names});`, resolveDir: coreDir },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    external: ['zod'],
    write: false,
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('pure annotations', () => {
  it('marks module-level calls, the calls in their arguments, and nothing inside functions', () => {
    const out = annotatePureCalls(
      'x.ts',
      [
        'export const A = z.object({ a: z.string().min(1), b: B.optional() }).strict();',
        'const roles = [role("x"), new Map()];',
        'export function f() { return z.string(); }',
        'const g = () => sideEffect();',
      ].join('\n'),
    );
    expect(out.split('\n')).toEqual([
      'export const A = /* @__PURE__ */ z.object({ a: /* @__PURE__ */ z.string().min(1), b: /* @__PURE__ */ B.optional() }).strict();',
      'const roles = [/* @__PURE__ */ role("x"), /* @__PURE__ */ new Map()];',
      'export function f() { return z.string(); }',
      'const g = () => sideEffect();',
    ]);
  });

  it('lets a bundler drop every schema a consumer does not import (with the plugins tsup.config.ts builds with)', async () => {
    const [annotated, plain] = await Promise.all([coreBundle(true), coreBundle(false)]);
    const errorsOnly = await consumerOf(annotated, 'HubspokeError');
    expect(errorsOnly).toContain('HubspokeError');
    expect(errorsOnly).not.toMatch(/\.(object|string|number|enum)\(/);
    const brandKit = await consumerOf(annotated, 'parseBrandKit');
    expect(brandKit).toContain('palette');
    expect(brandKit).not.toMatch(/quorum|milestone|pushTemplate/);
    // Without the annotations the same import keeps nearly all of core.
    const unannotated = await consumerOf(plain, 'parseBrandKit');
    expect(unannotated).toMatch(/quorum/);
    expect(brandKit.length).toBeLessThan(unannotated.length / 2);
  });
});
