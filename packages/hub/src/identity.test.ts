import { describe, expect, it } from 'vitest';
import { useFolderHub } from './__fixtures__/hubs.js';
import type { Hub } from './hub.js';

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

const ISSUER = 'https://login.example.com/';

describe("people vouched for by the hub's identity provider", () => {
  let hub: Hub;

  useFolderHub(async (opened) => {
    ({ hub } = opened);
    await hub.submit(await hub.principal('jo'), 'austin-store-opening');
  });

  it('are refused by the approvals until the hub trusts their issuer, then act with the roles their claims give', async () => {
    const sam = await hub.principal('sam');
    const fromProvider = { ...sam, id: 'sam.rivera@example.com', issuer: ISSUER, subject: 'u-123' };
    const comment = { text: 'Opening hours?', anchor: { instanceId: 'message-1', slotId: 'body', locale: 'en-US' } };
    expect(await rejection(hub.comment(fromProvider, 'austin-store-opening', comment))).toMatchObject({
      code: 'E_FORBIDDEN',
      details: { reason: 'unknown-principal' },
    });
    hub.trustIssuer(ISSUER);
    const added = await hub.comment(fromProvider, 'austin-store-opening', comment);
    expect(added.commentId).toMatch(/^c-\d+$/);
  });

  it('trusting one issuer does not let anyone else claim roles the directory does not give them', async () => {
    const jo = await hub.principal('jo');
    const claimed = { ...jo, roles: [...jo.roles, 'hq-admin'], issuer: 'https://elsewhere.example/', subject: 'x' };
    expect(await rejection(hub.comment(claimed, 'austin-store-opening', { text: 'hi' }))).toMatchObject({
      code: 'E_FORBIDDEN',
      details: { reason: 'principal-mismatch' },
    });
  });

  it('refuses an issuer that is not a non-empty string', () => {
    for (const bad of ['', 42, null, 'x'.repeat(2001)])
      expect(() => {
        hub.trustIssuer(bad as string);
      }).toThrow(expect.objectContaining({ code: 'E_VALIDATION' }));
  });
});
