import { describe, expect, it } from 'vitest';
import { describeConformance, useFakeServer } from '../../testkit/vitest.js';
import { FakeTeams } from '../../testkit/fakes/chat.js';
import { escapeTeamsMarkdown, teams } from './teams.js';
import { fastTestRuntime } from '../../testkit/fixtures.js';

const fake = useFakeServer(new FakeTeams());
const fast = {
  // No faults here depend on time: answers get the long test timeout, however slow the machine.
  retry: fastTestRuntime.retry,
  limits: { callsPerWindow: 100, windowMs: 100 },
};

describe('teams connector', () => {
  it('posts an Adaptive Card with the text escaped and link buttons', async () => {
    const connector = teams.create({ webhookUrl: fake.webhookUrl }, fast);
    expect(await connector.check()).toMatchObject({ ok: true });
    await connector.notify!({
      title: 'Changes requested',
      text: '[click](https://evil.example) **now**',
      actions: [{ label: 'Open draft', url: 'https://hub.example/d/1' }],
    });
    const card = fake.cards.at(-1)!;
    expect(card).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: 'Changes requested', weight: 'Bolder' },
        { type: 'TextBlock', text: '\\[click\\]\\(https://evil\\.example\\) \\*\\*now\\*\\*', wrap: true },
      ],
      actions: [{ type: 'Action.OpenUrl', title: 'Open draft', url: 'https://hub.example/d/1' }],
    });
  });

  it('reports a wrong webhook as E_NOT_FOUND and a missing one as E_AUTH', async () => {
    await expect(
      teams.create({ webhookUrl: `${fake.url}/workflows/nope/triggers/manual/paths/invoke` }, fast).notify!({
        title: 'x',
        text: 'y',
      }),
    ).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    expect(await teams.create({}, fast).check()).toMatchObject({
      ok: false,
      details: { code: 'E_AUTH', missing: ['webhookUrl'] },
    });
  });

  it('escapes markdown (property: escaped text has no unescaped control character)', () => {
    const escaped = escapeTeamsMarkdown('a_b*c[d](e)#f');
    expect(escaped).toBe('a\\_b\\*c\\[d\\]\\(e\\)\\#f');
  });
});

describeConformance('teams', {
  create: ({ credentials: _unused, ...runtime }) =>
    teams.create({ webhookUrl: fake.webhookUrl }, { ...runtime, ...fast }),
  secrets: [fake.webhookUrl],
  noCredentials: true,
  injectFault: (fault) =>
    fake.inject({ kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'http429' : 'http400' }),
});
