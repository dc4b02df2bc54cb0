import { describe, expect, it } from 'vitest';
import { valid } from '../__fixtures__/samples.js';
import { parseAs } from '../registry.js';

describe('identity config and authenticated actors', () => {
  it('fills the documented defaults: sub as id, asymmetric algorithms, 5 s clock tolerance', () => {
    const config = parseAs('identityConfig', valid.identityConfig);
    expect(config.claims).toEqual({ id: 'sub', name: 'name', email: 'email' });
    expect(config.algorithms).toEqual(['RS256', 'PS256', 'ES256', 'EdDSA']);
    expect(config.clockToleranceSeconds).toBe(5);
    expect(config.mappings[0]).toEqual({
      claim: 'groups',
      value: 'emea-marketing',
      roles: ['spoke-marketer'],
      regions: ['EMEA'],
      teams: [],
    });
  });

  it('refuses alg none and HMAC in the allow-list', () => {
    for (const alg of ['none', 'HS256', 'HS512']) {
      expect(() => parseAs('identityConfig', { ...valid.identityConfig, algorithms: [alg] })).toThrow(
        /identityConfig\.algorithms\[0\]/,
      );
    }
  });

  it('an approval event records the authenticated subject beside the principal id', () => {
    const event = parseAs('approvalEvent', {
      ...valid.approvalEvent,
      actor: {
        id: 'lena',
        roles: ['spoke-marketer'],
        issuer: 'https://login.example.com/',
        subject: '00u1',
        name: 'Lena Vogel',
      },
    });
    expect(event.actor).toMatchObject({ issuer: 'https://login.example.com/', subject: '00u1', name: 'Lena Vogel' });
    // Old events without the fields stay valid.
    expect(parseAs('approvalEvent', valid.approvalEvent).actor.issuer).toBeUndefined();
  });

  it('the hub config takes an optional identity section', () => {
    const config = parseAs('hubspokeConfig', { ...valid.hubspokeConfig, identity: valid.identityConfig });
    expect(config.identity?.issuer).toBe('https://login.example.com/');
    expect(() => parseAs('hubspokeConfig', { ...valid.hubspokeConfig, identity: { issuer: 'x' } })).toThrow(
      /hubspokeConfig\.identity\.issuer/,
    );
  });
});

describe('actorOf', () => {
  it('records the authenticated subject, and only the id and roles in trusted local mode', async () => {
    const { actorOf } = await import('./approval-event.js');
    const local = parseAs('principal', { id: 'lena', name: 'Lena Vogel', roles: ['spoke-marketer'] });
    expect(actorOf(local)).toEqual({ id: 'lena', roles: ['spoke-marketer'] });
    const signedIn = parseAs('principal', { ...local, issuer: 'https://login.example.com/', subject: '00u1' });
    expect(actorOf(signedIn)).toEqual({
      id: 'lena',
      roles: ['spoke-marketer'],
      issuer: 'https://login.example.com/',
      subject: '00u1',
      name: 'Lena Vogel',
    });
    expect(parseAs('approvalEvent', { ...valid.approvalEvent, actor: actorOf(signedIn) }).actor.subject).toBe('00u1');
  });
});
