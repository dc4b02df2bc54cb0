import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { generateAuditKeys } from '@hubspoke/approval-state';
import { describe, expect, it } from 'vitest';
import { exampleFolder } from './__fixtures__/hubs.js';
import { auditFromEnv } from './audit.js';
import { loadHub } from './hub.js';

describe('the audit trail of a hub', () => {
  it('is keyed and checkpointed with the keys from the environment', async () => {
    const dir = await exampleFolder();
    const keys = generateAuditKeys('k1');
    const env = { HUBSPOKE_AUDIT_KEYS: keys.macKey, HUBSPOKE_AUDIT_SIGNING_KEY: keys.signingKey };
    const hub = await loadHub({ cwd: dir, database: 'memory:', env });
    try {
      const { result } = await hub.submit(await hub.principal('jo'), 'austin-store-opening');
      const report = await (await hub.approvals()).verify(await hub.principal('hana'), result.submissionId);
      expect(report).toMatchObject({ ok: true, keyed: true, checkpoint: { seq: expect.any(Number) as unknown } });
      expect((await readdir(path.join(dir, '.hubspoke/audit-checkpoints'))).length).toBe(1);
    } finally {
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is only hash-chained without keys, and takes the checkpoint folder from the environment', async () => {
    expect(auditFromEnv({}, '/hub')).toBeUndefined();
    const dir = await exampleFolder();
    const hub = await loadHub({ cwd: dir, database: 'memory:', env: {} });
    try {
      const { result } = await hub.submit(await hub.principal('jo'), 'austin-store-opening');
      const report = await (await hub.approvals()).verify(await hub.principal('hana'), result.submissionId);
      expect(report.ok).toBe(true);
      expect(report).not.toHaveProperty('keyed', true);
      expect(existsSync(path.join(dir, '.hubspoke/audit-checkpoints'))).toBe(false);
    } finally {
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    }
    expect(
      auditFromEnv({ HUBSPOKE_AUDIT_KEYS: 'k1:AAAA', HUBSPOKE_AUDIT_CHECKPOINTS: 'cp' }, '/hub')?.checkpoints,
    ).toBeDefined();
  });
});
