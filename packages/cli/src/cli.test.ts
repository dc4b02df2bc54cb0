import { describe, expect, it } from 'vitest';
import { spawnHubspoke, tempProject } from './test-helpers.js';

describe('hubspoke binary', () => {
  it('prints help with the commands and exit codes, and exits 0', async () => {
    const dir = await tempProject();
    const r = await spawnHubspoke(['--help'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: hubspoke');
    expect(r.stdout).toContain('Exit codes: 0 ok, 1 findings, 2 usage');
    for (const c of [
      'init',
      'lint',
      'render',
      'submit',
      'decide',
      'comment',
      'status',
      'due',
      'push',
      'metrics',
      'okr',
      'preview',
    ])
      expect(r.stdout).toContain(`  ${c} `);
  });

  it('never colours output when NO_COLOR is set or stdout is not a terminal', async () => {
    const dir = await tempProject();
    const r = await spawnHubspoke(['frobnicate'], { cwd: dir, env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(r.stderr).not.toContain('\u001b[');
  });

  it('answers --json errors with a JSON object on stdout', async () => {
    const dir = await tempProject();
    const r = await spawnHubspoke(['lint', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND', exitCode: 3 } });
  });
});
