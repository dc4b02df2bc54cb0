import { describe, expect, it } from 'vitest';
import { isHubspokeError } from '../errors/hubspoke-error.js';
import { ACTIONS, type Principal } from '../schemas/access.js';
import { assertCan, can, resolveOperatingModel } from './can.js';
import { checkPrincipal, findPrincipalProblem } from './directory.js';
import { hybrid } from './presets.js';

function who(id: string, roles: string[], regions: string[] = ['EMEA'], extra: Partial<Principal> = {}): Principal {
  return { id, roles, regions, teams: [], groups: [], ...extra };
}

const lena = who('lena', ['spoke-marketer']);
const ravi = who('ravi', ['regional-manager']);
const directory = [lena, ravi];
const emeaDraft = { region: 'EMEA', ownerId: 'lena' };

function thrown(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    expect(isHubspokeError(error)).toBe(true);
    return error as Record<string, unknown>;
  }
  throw new Error('expected a HubspokeError');
}

describe('deny by default', () => {
  // A model whose only role has a rule for one action: every other action is denied, with the reason.
  const narrow = resolveOperatingModel({
    id: 'narrow',
    name: 'Narrow',
    ownership: { contentCreation: 'spoke', localCustomization: 'spoke', approval: 'hub', delivery: 'hub' },
    roles: [{ id: 'writer', name: 'Writer', side: 'spoke', permissions: [{ action: 'draft.create', scope: 'any' }] }],
  });
  const writer = who('w', ['writer']);

  it.each(ACTIONS.filter((a) => a !== 'draft.create'))('a model with no rule for %s denies it, saying so', (action) => {
    const decision = can(narrow, writer, action, { region: 'EMEA', ownerId: 'w' });
    expect(decision).toMatchObject({ allowed: false });
    if (!decision.allowed) {
      expect(decision.reason).toContain(`may not ${action}`);
      expect(decision.reason).toContain(`has no rule for ${action}`);
    }
    expect(
      thrown(() => {
        assertCan(narrow, writer, action);
      }),
    ).toMatchObject({
      code: 'E_FORBIDDEN',
      message: expect.stringContaining(`has no rule for ${action}`) as unknown,
    });
  });

  it('an action the model does not know at all is refused, never allowed', () => {
    expect(can(hybrid, who('root', ['hub-admin'], []), 'draft.teleport' as never).allowed).toBe(false);
    expect(
      thrown(() => {
        assertCan(hybrid, who('root', ['hub-admin'], []), 'draft.teleport' as never);
      }),
    ).toMatchObject({
      code: 'E_VALIDATION',
      path: 'action',
    });
  });
});

describe('a principal is checked against the directory when one is given', () => {
  it('the directory entry itself passes, and the model then decides', () => {
    expect(can(hybrid, lena, 'draft.create', emeaDraft, { directory: { directory } }).allowed).toBe(true);
    expect(() => {
      assertCan(hybrid, lena, 'draft.create', emeaDraft, { directory: { directory } });
    }).not.toThrow();
  });

  it('an unknown principal id is refused (E_FORBIDDEN unknown-principal) with did-you-mean', () => {
    const lenna = who('lenna', ['spoke-marketer']);
    // Without a directory the model alone decides (and would allow).
    expect(can(hybrid, lenna, 'draft.create', { region: 'EMEA', ownerId: 'lenna' }).allowed).toBe(true);
    const decision = can(
      hybrid,
      lenna,
      'draft.create',
      { region: 'EMEA', ownerId: 'lenna' },
      { directory: { directory } },
    );
    expect(decision).toMatchObject({ allowed: false, principal: 'unknown-principal' });
    expect(
      thrown(() => {
        assertCan(hybrid, lenna, 'draft.create', { region: 'EMEA', ownerId: 'lenna' }, { directory: { directory } });
      }),
    ).toMatchObject({
      code: 'E_FORBIDDEN',
      path: 'principal',
      message: expect.stringContaining('did you mean "lena"') as unknown,
      details: { reason: 'unknown-principal', principal: 'lenna', didYouMean: 'lena' },
    });
  });

  it('claimed roles or regions that differ from the entry are refused (principal-mismatch), naming both sides', () => {
    const promoted = who('lena', ['spoke-marketer', 'hub-admin']);
    expect(can(hybrid, promoted, 'template.publish', {}).allowed).toBe(true);
    expect(
      thrown(() => {
        assertCan(hybrid, promoted, 'template.publish', {}, { directory: { directory } });
      }),
    ).toMatchObject({
      code: 'E_FORBIDDEN',
      path: 'principal',
      details: {
        reason: 'principal-mismatch',
        differs: { roles: { claimed: ['spoke-marketer', 'hub-admin'], directory: ['spoke-marketer'] } },
      },
    });
    const moved = who('lena', ['spoke-marketer'], ['NA']);
    expect(can(hybrid, moved, 'draft.create', { region: 'NA', ownerId: 'lena' }).allowed).toBe(true);
    expect(
      can(hybrid, moved, 'draft.create', { region: 'NA', ownerId: 'lena' }, { directory: { directory } }),
    ).toMatchObject({
      allowed: false,
      principal: 'principal-mismatch',
    });
    expect(findPrincipalProblem(moved, { directory })).toMatchObject({
      reason: 'principal-mismatch',
      differs: { regions: { claimed: ['NA'], directory: ['EMEA'] } },
    });
  });

  it('the order of the lists does not matter, and a name or email is not compared', () => {
    const ada = who('ada', ['brand-manager', 'analyst'], ['NA', 'EMEA']);
    const claimed = { ...who('ada', ['analyst', 'brand-manager'], ['EMEA', 'NA']), name: 'Ada L.' };
    expect(checkPrincipal(claimed, { directory: [ada] })).toMatchObject({ id: 'ada' });
  });

  it('a principal a trusted identity provider vouched for need not be listed; any other issuer must be', () => {
    const idp = 'https://id.example.com';
    const oidc = who('lena@example.com', ['spoke-marketer'], ['EMEA'], { issuer: idp, subject: '00u1' });
    expect(checkPrincipal(oidc, { directory, trustedIssuers: [idp] })).toMatchObject({ id: 'lena@example.com' });
    expect(thrown(() => checkPrincipal(oidc, { directory }))).toMatchObject({
      code: 'E_FORBIDDEN',
      details: { reason: 'unknown-principal' },
    });
    const forged = who('lena', ['hub-admin'], ['EMEA'], { issuer: 'https://evil.example', subject: 'x' });
    expect(thrown(() => checkPrincipal(forged, { directory, trustedIssuers: [idp] }))).toMatchObject({
      details: { reason: 'principal-mismatch' },
    });
  });

  it('a malformed directory or principal is E_VALIDATION with its path', () => {
    expect(thrown(() => checkPrincipal(lena, { directory: 'everyone' } as never))).toMatchObject({
      code: 'E_VALIDATION',
      path: 'directory.directory',
    });
    expect(thrown(() => checkPrincipal(lena, { directory: [{ id: 'x' }] } as never))).toMatchObject({
      code: 'E_VALIDATION',
      path: expect.stringContaining('directory.directory[0]') as unknown,
    });
    expect(thrown(() => checkPrincipal({ id: 'lena' }, { directory }))).toMatchObject({ code: 'E_VALIDATION' });
  });
});
