import { DraftSchema } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { newsletter } from './__fixtures__/fixtures.js';
import * as api from './index.js';

const T = newsletter();

describe('public API', () => {
  it('exports the documented entry points', () => {
    for (const name of [
      'parseTemplate',
      'validateDraft',
      'upgradeDraft',
      'summarizeChanges',
      'render',
      'createRenderSession',
      'preparePreview',
      'verifySkeleton',
      'compilePersonalization',
      'lexDialect',
      'checkSize',
      'checkAccessibility',
      'checkCompatibility',
      'exportXliff',
      'importXliff',
      'createDraft',
      'SkeletonCache',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('createDraft starts from the template as written (every module once) with no content', async () => {
    const draft = api.createDraft(T, { id: 'd1', name: 'April', author: 'lena@northwind.example' });
    expect(DraftSchema.parse(draft)).toEqual(draft);
    expect(draft.modules.map((m) => m.instanceId)).toEqual(T.modules.map((m) => m.id));
    const initial = { ...T, initialModules: ['header', 'footer'] };
    expect(api.createDraft(initial, { id: 'd2', name: 'x', author: 'a' }).modules.map((m) => m.moduleId)).toEqual([
      'header',
      'footer',
    ]);
    expect(api.summarizeChanges(T, draft)).toMatchObject({ structural: false, changedSlots: [] });
    const email = await api.render(T, draft);
    expect(email.subject).toBe('News from Northwind');
    expect(api.validateDraft(T, draft).map((d) => d.location.slotId)).toEqual(['title', 'headline']);
    expect(() => api.createDraft(T, { id: '1 bad', name: 'x', author: 'a' })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'draft.id' }),
    );
  });

  it('compilePersonalization compiles one text per dialect and context', () => {
    expect(api.compilePersonalization('Hi {{ contact.firstName | default: "you" }}', { dialect: 'braze' }).output).toBe(
      "Hi {{ ${first_name} | default: 'you' | escape }}",
    );
    expect(
      api.compilePersonalization('Hi {{ contact.firstName }}', {
        dialect: 'preview',
        contact: { 'contact.firstName': 'Ana' },
        context: 'text',
      }).output,
    ).toBe('Hi Ana');
    const broken = api.compilePersonalization('Hi {{ contact.firstName', { dialect: 'hubspot' });
    expect(broken.diagnostics[0]).toMatchObject({ ruleId: 'personalization/syntax', location: { start: 3, end: 23 } });
    expect(broken.output).toBe('Hi &#123;&#123; contact.firstName');
    expect(() => api.compilePersonalization('x', { dialect: 'mailchimp' as never })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'options.dialect' }),
    );
    expect(() => api.compilePersonalization(null as never, { dialect: 'braze' })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'text' }),
    );
    expect(() => api.compilePersonalization('x', { dialect: 'braze', context: 'css' as never })).toThrow(
      expect.objectContaining({ path: 'options.context' }),
    );
  });

  it('canEdit answers for editors what a spoke may change', () => {
    const features = T.modules.find((m) => m.id === 'features')!;
    const icon = features.slots.find((s) => s.id === 'icon1')!;
    expect(api.canEdit(icon, features, 'alt')).toBe(true);
    expect(api.canEdit(icon, features, 'src')).toBe(false);
    expect(api.accessOf({ custom: { href: 'hidden' } }, 'href')).toBe('hidden');
    expect(api.accessOf({ custom: {} }, 'text')).toBe('locked');
  });
});
