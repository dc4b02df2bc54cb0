import { describe, expect, it } from 'vitest';
import type { DraftInput } from '@hubspoke/core';
import { DraftSchema } from '@hubspoke/core';
import { Harness, fullSubmit } from './__fixtures__/harness.js';
import { anchorsOf } from './anchors.js';

const draft = (headline: string, withFooter = true): DraftInput => ({
  id: 'berlin-spring',
  name: 'Berlin spring',
  template: { id: 'newsletter', version: 1 },
  author: 'lena',
  defaultLocale: 'de-DE',
  modules: [
    { instanceId: 'hero-1', moduleId: 'hero' },
    ...(withFooter ? [{ instanceId: 'footer-1', moduleId: 'footer' }] : []),
  ],
  content: {
    'de-DE': {
      slots: {
        'hero-1': { headline, body: 'Alles muss raus' },
        ...(withFooter ? { 'footer-1': { legal: 'Impressum' } } : {}),
      },
    },
  },
});
const anchors = (headline: string, withFooter = true) => anchorsOf(DraftSchema.parse(draft(headline, withFooter)));

function reviewed(): Harness {
  const h = new Harness();
  h.do('lena', { ...fullSubmit, anchors: anchors('Frühlingsangebot') });
  return h;
}

describe('anchored comments', () => {
  it('anchors to an instance, a slot in a locale, or a text range', () => {
    const h = reviewed();
    h.do('bea', {
      type: 'comment',
      commentId: 'c1',
      text: 'Hero image is off-brand',
      anchor: { instanceId: 'hero-1' },
    });
    h.do('bea', {
      type: 'comment',
      commentId: 'c2',
      text: '"Frühling" is fine',
      anchor: { instanceId: 'hero-1', slotId: 'headline', locale: 'de-DE', range: { start: 0, end: 8 } },
    });
    expect(h.state.comments.map((c) => [c.id, c.author, c.resolved, c.outdated])).toEqual([
      ['c1', 'bea', false, false],
      ['c2', 'bea', false, false],
    ]);
    expect(h.state.comments[1]?.anchorValue).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses an anchor that does not exist in the version under review', () => {
    const h = reviewed();
    h.fails('bea', { type: 'comment', text: 'x', anchor: { instanceId: 'cta-9' } }, 'E_NOT_FOUND', /cta-9/);
    h.fails(
      'bea',
      { type: 'comment', text: 'x', anchor: { instanceId: 'hero-1', slotId: 'headline', locale: 'fr-FR' } },
      'E_NOT_FOUND',
    );
    h.fails(
      'bea',
      { type: 'comment', text: 'x', anchor: { instanceId: 'hero-1', range: { start: 0, end: 1 } } },
      'E_VALIDATION',
      /slotId/,
    );
    h.fails(
      'bea',
      {
        type: 'comment',
        text: 'x',
        anchor: { instanceId: 'hero-1', slotId: 'headline', locale: 'de-DE', range: { start: 5, end: 1 } },
      },
      'E_VALIDATION',
      /end ≥ start/,
    );
  });

  it('threads replies under the root, with mentions notified', () => {
    const h = reviewed();
    h.do('bea', {
      type: 'comment',
      commentId: 'root',
      text: 'Which price is right?',
      anchor: { instanceId: 'hero-1' },
      mentions: ['lee'],
    });
    expect(h.effects).toEqual([expect.objectContaining({ type: 'notify', reason: 'mention', to: ['lee'] })]);
    h.do('lena', { type: 'comment', commentId: 'r1', text: '19,99 €', parentId: 'root' });
    h.do('lee', { type: 'comment', commentId: 'r2', text: 'Agreed', parentId: 'r1' });
    expect(h.state.comments.find((c) => c.id === 'r2')?.parentId).toBe('root');
    expect(h.effects).toEqual([expect.objectContaining({ reason: 'comment', to: ['bea'] })]);
    h.fails('lee', { type: 'comment', text: 'x', parentId: 'nope' }, 'E_NOT_FOUND');
    h.fails(
      'lee',
      { type: 'comment', text: 'x', parentId: 'root', anchor: { instanceId: 'hero-1' } },
      'E_VALIDATION',
      /thread's anchor/,
    );
    h.fails('lee', { type: 'comment', commentId: 'root', text: 'again' }, 'E_CONFLICT');
  });

  it('resolves and reopens threads', () => {
    const h = reviewed();
    h.do('bea', { type: 'comment', commentId: 'c1', text: 'Fix the kerning' });
    h.do('bea', { type: 'comment', commentId: 'r1', text: 'and the date', parentId: 'c1' });
    h.fails('bea', { type: 'resolveComment', commentId: 'r1' }, 'E_VALIDATION', /reply/);
    h.fails('sam', { type: 'resolveComment', commentId: 'c1' }, 'E_FORBIDDEN', /only its author/);
    h.fails('eve', { type: 'resolveComment', commentId: 'c1' }, 'E_FORBIDDEN');
    h.do('lena', { type: 'resolveComment', commentId: 'c1' });
    expect(h.state.comments[0]?.resolved).toBe(true);
    h.fails('bea', { type: 'resolveComment', commentId: 'c1' }, 'E_CONFLICT', /already resolved/);
    h.do('bea', { type: 'reopenComment', commentId: 'c1' });
    expect(h.state.comments[0]?.resolved).toBe(false);
    h.fails('bea', { type: 'reopenComment', commentId: 'missing' }, 'E_NOT_FOUND');
  });

  it('on a new version keeps comments whose anchor still exists and marks the others outdated', () => {
    const h = reviewed();
    h.do('bea', { type: 'comment', commentId: 'on-hero', text: 'hero', anchor: { instanceId: 'hero-1' } });
    h.do('bea', {
      type: 'comment',
      commentId: 'on-footer',
      text: 'footer',
      anchor: { instanceId: 'footer-1', slotId: 'legal', locale: 'de-DE' },
    });
    h.do('bea', {
      type: 'comment',
      commentId: 'on-word',
      text: 'typo',
      anchor: { instanceId: 'hero-1', slotId: 'headline', locale: 'de-DE', range: { start: 0, end: 4 } },
    });
    h.do('bea', {
      type: 'comment',
      commentId: 'on-body',
      text: 'ok',
      anchor: { instanceId: 'hero-1', slotId: 'body', locale: 'de-DE', range: { start: 0, end: 5 } },
    });
    h.do('bea', { type: 'comment', commentId: 'general', text: 'nice overall' });
    h.do('bea', { type: 'decide', decision: 'changesRequired' });
    h.do('lena', {
      type: 'resubmit',
      contentHash: 'sha256:v2',
      facts: fullSubmit.facts,
      anchors: anchors('Frühjahrsangebot', false),
    });
    const outdated = Object.fromEntries(h.state.comments.map((c) => [c.id, c.outdated]));
    expect(outdated).toEqual({
      'on-hero': false,
      'on-footer': true,
      'on-word': true,
      'on-body': false,
      general: false,
    });
    h.do('lena', {
      type: 'resubmit',
      contentHash: 'sha256:v3',
      facts: fullSubmit.facts,
      anchors: anchors('Frühlingsangebot'),
    });
    expect(h.state.comments.filter((c) => c.outdated)).toEqual([]);
  });

  it('closes comments with the review', () => {
    const h = reviewed();
    h.do('ada', { type: 'forceApprove', reason: 'ship it' });
    h.fails('bea', { type: 'comment', text: 'late' }, 'E_CONFLICT', /approved/);
  });
});
