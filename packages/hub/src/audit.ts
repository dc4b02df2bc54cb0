import path from 'node:path';
import { FileCheckpointStore, type AuditOptions } from '@hubspoke/approval-state';

/**
 * The audit trail's keys from the environment (never from the database): `HUBSPOKE_AUDIT_KEYS`
 * (MAC keys, `id:base64,…`), `HUBSPOKE_AUDIT_SIGNING_KEY` (Ed25519 PEM) and
 * `HUBSPOKE_AUDIT_CHECKPOINTS` (a folder for signed checkpoints, relative to the hub; default
 * `.hubspoke/audit-checkpoints`). Without keys the trail is hash-chained only.
 */
export function auditFromEnv(env: Record<string, string | undefined>, dir: string): AuditOptions | undefined {
  const keys = env.HUBSPOKE_AUDIT_KEYS;
  if (keys === undefined || keys === '') return undefined;
  const signingKey = env.HUBSPOKE_AUDIT_SIGNING_KEY;
  const folder = env.HUBSPOKE_AUDIT_CHECKPOINTS;
  return {
    keys,
    ...(signingKey === undefined || signingKey === '' ? {} : { signingKey }),
    checkpoints: new FileCheckpointStore(
      path.resolve(dir, folder === undefined || folder === '' ? '.hubspoke/audit-checkpoints' : folder),
    ),
  };
}
