import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { appSizes } from '../bench/app-size.js';

const gz = (text: string) => gzipSync(text, { level: 9 }).length;

describe('the bench sizes the app by what a browser loads', () => {
  it('counts the entry, its imports, CSS and worker; the rich-text editor and dynamic-only chunks apart', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hubspoke-app-size-'));
    mkdirSync(path.join(dir, 'assets'));
    mkdirSync(path.join(dir, '.vite'));
    const files: Record<string, string> = {
      'index-a.js': 'import "./shared-b.js"; import("./lint-c.js");'.repeat(20),
      'shared-b.js': 'export const shared = 1;'.repeat(30),
      'lint-c.js': 'export const lint = 2;'.repeat(40),
      'both-d.js': 'export const both = 3;'.repeat(50),
      'lint-worker-e.js': 'onmessage = () => {};'.repeat(60),
      'rich-text-f.js': 'export const pm = 4;'.repeat(70),
      'index-g.css': 'body{margin:0}'.repeat(80),
      'unknown-h.js': 'export const mystery = 5;'.repeat(90),
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'assets', name), text);
    writeFileSync(path.join(dir, 'assets', 'favicon.svg'), '<svg/>');
    writeFileSync(
      path.join(dir, '.vite', 'manifest.json'),
      JSON.stringify({
        'index.html': {
          file: 'assets/index-a.js',
          isEntry: true,
          imports: ['_shared', '_rich'],
          dynamicImports: ['lint.ts', 'both.ts'],
          css: ['assets/index-g.css'],
          assets: ['assets/lint-worker-e.js'],
        },
        _shared: { file: 'assets/shared-b.js', imports: ['both.ts'] },
        _rich: { file: 'assets/rich-text-f.js' },
        'lint.ts': { file: 'assets/lint-c.js', isDynamicEntry: true, imports: ['index.html'] },
        // imported dynamically by the entry, but statically by a chunk it loads: loaded at start
        'both.ts': { file: 'assets/both-d.js', isDynamicEntry: true },
      }),
    );
    const f = (name: string) => gz(files[name] ?? '');
    expect(appSizes(dir)).toEqual({
      app:
        f('index-a.js') +
        f('shared-b.js') +
        f('both-d.js') +
        f('lint-worker-e.js') +
        f('index-g.css') +
        f('unknown-h.js'),
      richText: f('rich-text-f.js'),
      lazy: f('lint-c.js'),
    });
  });
});
