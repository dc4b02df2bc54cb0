import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { run } from '../program.js';
import { tempProject } from '../test-helpers.js';

describe('hubspoke init writes $schema that resolves', () => {
  it('every JSON file it writes names a schema beside the hub that validates it, wherever the folder moves', async () => {
    const base = await tempProject();
    let out = '';
    const sink = { write: (s: string) => (out += s) };
    const code = await run(['init', 'first', '--json'], {
      cwd: base,
      env: { NO_COLOR: '1' },
      stdout: sink,
      stderr: sink,
    });
    expect(code, out).toBe(0);
    const files = (JSON.parse(out) as { files: string[] }).files;
    // Moved elsewhere (deeper, no node_modules anywhere above): the relative paths still resolve.
    await mkdir(path.join(base, 'moved', 'deeper'), { recursive: true });
    const hub = path.join(base, 'moved', 'deeper', 'hub');
    await rename(path.join(base, 'first'), hub);
    const documents = files.filter((f) => f.endsWith('.json') && !f.startsWith('schemas/'));
    expect(documents).toEqual(
      expect.arrayContaining([
        'hubspoke.config.json',
        'brand/brand-kit.json',
        'brand/lint.json',
        'workflow.json',
        'okrs.json',
        'drafts/austin-store-opening.json',
      ]),
    );
    for (const file of documents) {
      const document = JSON.parse(await readFile(path.join(hub, file), 'utf8')) as { $schema?: string };
      expect(document.$schema, file).toMatch(/^\.\.?\/schemas\/[a-z-]+\.json$/);
      const schemaFile = path.resolve(path.dirname(path.join(hub, file)), document.$schema!);
      expect(existsSync(schemaFile), `${file} → ${document.$schema}`).toBe(true);
      const ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(await readFile(schemaFile, 'utf8')) as object);
      expect(validate(document), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    // The moved hub still lints (the $schema keys are accepted everywhere).
    out = '';
    expect(await run(['lint'], { cwd: hub, env: { NO_COLOR: '1' }, stdout: sink, stderr: sink }), out).toBe(0);
  });
});
