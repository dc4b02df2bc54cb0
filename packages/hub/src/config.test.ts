import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isHubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig, resolveConnectorConfig } from './config.js';

async function project(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'hubspoke-cli-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const minimal = { brandKit: 'brand/brand-kit.json', workflow: 'workflow.json' };

describe('loadConfig', () => {
  it('loads JSON, applies defaults and resolves paths against the config folder', async () => {
    const dir = await project({ 'hubspoke.config.json': JSON.stringify(minimal), 'sub/.keep': '' });
    const loaded = await loadConfig({ cwd: path.join(dir, 'sub') });
    expect(loaded.file).toBe(path.join(dir, 'hubspoke.config.json'));
    expect(loaded.config.templates).toBe('templates');
    expect(loaded.config.operatingModel).toBe('hybrid');
    expect(loaded.resolve(loaded.config.brandKit)).toBe(path.join(dir, 'brand/brand-kit.json'));
  });

  it('loads a TypeScript config', async () => {
    const dir = await project({
      'hubspoke.config.ts': `const config: { brandKit: string; workflow: string; outDir: string } = { brandKit: 'b.json', workflow: 'w.json', outDir: 'build' };\nexport default config;\n`,
    });
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded.config.outDir).toBe('build');
  });

  it('names the bad path in an invalid config', async () => {
    const dir = await project({ 'hubspoke.config.json': JSON.stringify({ ...minimal, operatingModel: 42 }) });
    const e = await failure(loadConfig({ cwd: dir }));
    expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
    expect((e as Error).message).toContain('config.operatingModel');
  });

  it('reports a JSON syntax error with line and column', async () => {
    const dir = await project({ 'hubspoke.config.json': '{\n  "brandKit": "b.json",\n  oops\n}' });
    const e = await failure(loadConfig({ cwd: dir }));
    expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
    expect((e as Error).message).toMatch(/hubspoke\.config\.json:3:3 is not valid JSON/);
  });

  it('points at the end of a file that stops half-way', async () => {
    const dir = await project({ 'hubspoke.config.json': '{\n  "brandKit": ' });
    const e = await failure(loadConfig({ cwd: dir }));
    expect((e as Error).message).toMatch(
      /hubspoke\.config\.json:2:15 is not valid JSON \(Unexpected end of JSON input\)/,
    );
  });

  it('says how to start when there is no config', async () => {
    const dir = await project({});
    expect(findConfig(dir)).toBeUndefined();
    const e = await failure(loadConfig({ cwd: dir, file: 'missing.json' }));
    expect(isHubspokeError(e, 'E_NOT_FOUND')).toBe(true);
  });
});

describe('resolveConnectorConfig', () => {
  it('fills ${ENV} placeholders and leaves other values alone', () => {
    expect(
      resolveConnectorConfig(
        'marketo',
        { clientSecret: '${MKTO_SECRET}', munchkinId: '123-ABC-456', concurrency: 5 },
        { MKTO_SECRET: 's3cr3t' },
      ),
    ).toEqual({
      clientSecret: 's3cr3t',
      munchkinId: '123-ABC-456',
      concurrency: 5,
    });
  });

  it('names the config path and variable of a missing credential, never a value', () => {
    try {
      resolveConnectorConfig('marketo', { clientSecret: '${MKTO_SECRET}' }, {});
      expect.unreachable();
    } catch (e) {
      expect(isHubspokeError(e, 'E_AUTH')).toBe(true);
      expect((e as Error).message).toBe(
        'connectors.marketo.config.clientSecret: environment variable MKTO_SECRET is not set',
      );
    }
  });
});
