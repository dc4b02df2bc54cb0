import { isHubspokeError } from '@hubspoke/core';
import { darkPreview } from '@hubspoke/template-engine/fill';
import { describe, expect, it, vi } from 'vitest';
import { explain } from '../src/model/explain.js';
import { DraftSession } from '../src/model/session.js';
import { pageLinter, type LinterFactory } from '../src/model/worker-linter.js';
import { MemoryHub } from '../src/source/memory-source.js';
import { hubInfo, newsletter, nodeSkeletons, NOW, viewers } from './fixtures/demo.js';

const template = newsletter();
const hub = () =>
  new MemoryHub({ hub: hubInfo, templates: [template], viewers, skeleton: nodeSkeletons(template), now: () => NOW });
const SPOKE = 'lena@northwind.example';
const REVIEWER = 'omar@northwind.example';

async function open(memory = hub()) {
  const source = memory.as(SPOKE);
  const record = await source.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
  return {
    memory,
    source,
    session: await DraftSession.open(source, record.draft.id, { now: () => NOW, autosaveMs: 5 }),
  };
}

describe('DraftSession', () => {
  it("renders a keystroke without waiting for the previous keystroke's lint (the worker's round trip)", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Keystroke lints wait until released; the full lint of opening does not.
    const held: LinterFactory = (t, h, now) => {
      const page = pageLinter(t, h, now);
      return {
        lint: async (draft, emails, quick) => {
          if (quick) await gate;
          return page.lint(draft, emails, quick);
        },
      };
    };
    const source = hub().as(SPOKE);
    const record = await source.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
    const session = await DraftSession.open(source, record.draft.id, { now: () => NOW, linter: held });
    const first = session.setSlot('hero', 'headline', 'So cheap');
    const second = session.setSlot('hero', 'headline', 'So cheap it hurts');
    await vi.waitFor(() => {
      expect(session.email?.html).toContain('So cheap it hurts');
    });
    expect(session.diagnostics.some((d) => d.ruleId === 'brand/banned-term')).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(session.diagnostics.some((d) => d.ruleId === 'brand/banned-term')).toBe(true);
    session.close();
  });

  it("asks a linter on another thread for a keystroke's findings at once, a main-thread linter only after the next frame", async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
    try {
      for (const offThread of [true, false]) {
        const quickLints: string[] = [];
        const recording: LinterFactory = (t, h, now) => {
          const page = pageLinter(t, h, now);
          return {
            offThread,
            lint: (draft, emails, quick) => {
              if (quick) quickLints.push(emails[0]?.html ?? '');
              return page.lint(draft, emails, quick);
            },
          };
        };
        const source = hub().as(SPOKE);
        const record = await source.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
        const session = await DraftSession.open(source, record.draft.id, { now: () => NOW, linter: recording });
        frames.length = 0;
        const typed = session.setSlot('hero', 'headline', 'So cheap');
        await vi.waitFor(() => {
          expect(session.email?.html).toContain('So cheap');
        });
        await new Promise((resolve) => setTimeout(resolve, 0));
        // No frame has been produced yet.
        expect(quickLints).toHaveLength(offThread ? 1 : 0);
        for (const callback of frames.splice(0)) callback(0);
        await typed;
        expect(quickLints).toHaveLength(1);
        expect(quickLints[0]).toContain('So cheap');
        expect(session.diagnostics.some((d) => d.ruleId === 'brand/banned-term')).toBe(true);
        session.close();
      }
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('with lintInBackground, opens once the preview is rendered and the opening lint settles firstLint', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The opening (full) lint waits until released.
    const held: LinterFactory = (t, h, now) => {
      const page = pageLinter(t, h, now);
      return {
        lint: async (draft, emails, quick) => {
          if (!quick) await gate;
          return page.lint(draft, emails, quick);
        },
      };
    };
    const source = hub().as(SPOKE);
    const record = await source.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
    await source.saveDraft(
      {
        ...record.draft,
        content: { en: { slots: { hero: { headline: 'So cheap it hurts' } } } },
      },
      record.etag,
    );
    const session = await DraftSession.open(source, record.draft.id, {
      now: () => NOW,
      linter: held,
      lintInBackground: true,
    });
    expect(session.email?.html).toContain('So cheap it hurts');
    expect(session.diagnostics).toEqual([]);
    let settled = false;
    void session.firstLint.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    await session.firstLint;
    expect(session.diagnostics.some((d) => d.ruleId === 'brand/banned-term')).toBe(true);
    session.close();
  });

  it("with lintInBackground, opens before the linter has started; the brand's dark scheme then re-renders the preview and the opening lint reads that render", async () => {
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (release = resolve));
    const linted: string[] = [];
    // A linter still starting (a worker loading the brand rules): its info comes when released.
    const starting: LinterFactory = (t, h, now) => {
      const page = pageLinter(t, h, now);
      return {
        offThread: true,
        info: async () => {
          await started;
          return (await page.info?.())!;
        },
        lint: async (draft, emails, quick) => {
          await started;
          linted.push(...emails.map((e) => e.html));
          return page.lint(draft, emails, quick);
        },
      };
    };
    const kit = { ...hubInfo.brandKit, darkMode: { pairs: [], generate: true, minContrast: 4.5 } };
    const memory = new MemoryHub({
      hub: { ...hubInfo, brandKit: kit },
      templates: [template],
      viewers,
      skeleton: nodeSkeletons(template),
      now: () => NOW,
    });
    const source = memory.as(SPOKE);
    const record = await source.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
    // Open must not wait for the linter: without this bound, a wait would hang until the test times out.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const session = await Promise.race([
      DraftSession.open(source, record.draft.id, { now: () => NOW, linter: starting, lintInBackground: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error('open waited for the linter to start'));
        }, 5000);
      }),
    ]);
    clearTimeout(timer);
    expect(session.email?.html).toContain('Spring');
    expect(session.email?.html).not.toContain('[data-ogsc]');
    const renders: string[] = [];
    session.addEventListener('change', (e) => {
      if ((e as CustomEvent<{ kind: string }>).detail.kind === 'render') renders.push(session.email?.html ?? '');
    });
    release();
    await session.firstLint;
    expect(renders).toHaveLength(1);
    expect(renders[0]).toContain('[data-ogsc]');
    expect(linted).toEqual([renders[0]]);
    expect(session.explain('brand/banned-term')).toBe(explain('brand/banned-term'));
    session.close();
  });

  it('without lintInBackground, open resolves with the findings of the opening lint', async () => {
    const source = hub().as(SPOKE);
    const record = await source.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
    await source.saveDraft(
      { ...record.draft, content: { en: { slots: { hero: { headline: 'So cheap it hurts' } } } } },
      record.etag,
    );
    const session = await DraftSession.open(source, record.draft.id, { now: () => NOW });
    expect(session.diagnostics.some((d) => d.ruleId === 'brand/banned-term')).toBe(true);
    session.close();
  });

  it('re-renders the preview on a text edit and lints the slot it concerns', async () => {
    const { session } = await open();
    await session.setSlot('hero', 'headline', 'So cheap it hurts, {{ contact.firstName | default: "friend" }}');
    expect(session.email?.html).toContain('So cheap it hurts, Ana');
    const banned = session.diagnostics.find((d) => d.ruleId === 'brand/banned-term');
    expect(banned?.location).toMatchObject({ instanceId: 'hero', slotId: 'headline', locale: 'en' });
    expect(session.canSubmit()).toMatchObject({ ok: false });
    expect(session.canSubmit().reason).toMatch(/error/);
  });

  it("renders the brand's dark scheme, as the hub does, so the dark preview shows the email's own CSS", async () => {
    const plain = await open();
    expect(plain.session.email?.html).not.toContain('[data-ogsc]');
    const kit = { ...hubInfo.brandKit, darkMode: { pairs: [], generate: true, minContrast: 4.5 } };
    const memory = new MemoryHub({
      hub: { ...hubInfo, brandKit: kit },
      templates: [template],
      viewers,
      skeleton: nodeSkeletons(template),
      now: () => NOW,
    });
    const { session } = await open(memory);
    const html = session.email?.html ?? '';
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('[data-ogsc]');
    // The preview applies the email's own dark rules (its dark media query made unconditional).
    expect(darkPreview(html)).toContain('<meta name="color-scheme" content="dark">');
  });

  it("explains findings from the linter's rule descriptions, without the page loading the brand rules", async () => {
    const { session } = await open();
    expect(session.explain('brand/banned-term')).toBe(explain('brand/banned-term'));
    expect(session.explain('brand/banned-term')).toMatch(/\w/);
    expect(session.explain('template/locked-slot')).toMatch(/locked/);
    expect(session.explain('brand/no-such-rule')).toBeUndefined();
    // A linter that offers no info: engine explanations only, and no dark scheme.
    const source = hub().as(SPOKE);
    const record = await source.createDraft({ templateId: 'newsletter', name: 'Bare' });
    const bare = await DraftSession.open(source, record.draft.id, {
      now: () => NOW,
      linter: (t, h, now) => {
        const inner = pageLinter(t, h, now);
        return { lint: (d, e, q) => inner.lint(d, e, q) };
      },
    });
    expect(bare.explain('brand/banned-term')).toBeUndefined();
    expect(bare.explain('template/locked-slot')).toMatch(/locked/);
  });

  it('applies a one-click fix to the slot and saves it', async () => {
    const { session, source } = await open();
    await session.setSlot('hero', 'cta', { href: 'https://northwind.example/spring', text: 'Read the issue' });
    const utm = session.diagnostics.find((d) => d.ruleId === 'brand/link-utm' && d.fix);
    expect(utm).toBeDefined();
    expect(await session.applyFix(utm!)).toBe(true);
    expect(session.diagnostics.some((d) => d.ruleId === 'brand/link-utm')).toBe(false);
    await session.save();
    const saved = await source.draft(session.draft.id);
    expect(saved.draft.content.en?.slots.hero?.cta).toMatchObject({
      href: expect.stringContaining('utm_source=newsletter'),
    });
  });

  it('composes within the template: adds, refuses past occurs.max, keeps pinned modules', async () => {
    const { session } = await open();
    const articles = () => session.draft.modules.filter((m) => m.moduleId === 'article').length;
    const before = articles();
    await session.addModule('article');
    expect(articles()).toBe(before + 1);
    while (session.canAdd('article').ok) await session.addModule('article');
    expect(session.canAdd('article').reason).toMatch(/at most 4/);
    expect(session.composition.canRemove(session.draft.modules, 'header')).toMatchObject({ ok: false });
    expect(session.composition.moveTargets(session.draft.modules, 'footer')).toEqual({});
    expect(session.diagnostics.filter((d) => d.ruleId.startsWith('template/module'))).toEqual([]);
  });

  it('a reviewer requests changes on a slot; the spoke resolves and resubmits; approval makes it read-only', async () => {
    const { session, memory } = await open();
    await session.setSlot('hero', 'headline', 'Spring is here, {{ contact.firstName | default: "friend" }}');
    await session.setSlot('article', 'title', 'Three trails for May');
    expect(session.canSubmit()).toEqual({ ok: true });
    const submitted = await session.submit();
    expect(session.readOnly).toBe(true);
    const reviewer = memory.as(REVIEWER);
    expect((await reviewer.inbox()).map((i) => i.submissionId)).toEqual([submitted.id]);
    await reviewer.comment(submitted.id, {
      text: 'Shorter headline, please',
      anchor: { instanceId: 'hero', slotId: 'headline', locale: 'en' },
    });
    await reviewer.decide(submitted.id, { decision: 'changesRequired', reason: 'see comment' });
    await session.reload();
    expect(session.status).toBe('returned');
    expect(session.canSubmit().reason).toMatch(/comment/);
    await session.setSlot('hero', 'headline', 'Spring!');
    await session.resolveComment('c-1');
    await session.submit();
    const view = await reviewer.decide(submitted.id, { decision: 'approved' });
    expect(view.status).toBe('approved');
    expect(view.rounds.map((r) => r.round)).toEqual([1, 2]);
    await session.reload();
    expect(session.readOnly).toBe(true);
    const error = await session.setSlot('hero', 'headline', 'x').catch((e: unknown) => e);
    expect(isHubspokeError(error) && error.code).toBe('E_FORBIDDEN');
  });

  it('the source refuses what the UI hides: a save that edits a locked slot is E_LOCKED, a stale one E_CONFLICT', async () => {
    const { source, session } = await open();
    const { draft, etag } = await source.draft(session.draft.id);
    const locked = { ...draft, content: { en: { slots: { footer: { address: 'Somewhere else' } } } } };
    const error = await source.saveDraft(locked, etag).catch((e: unknown) => e);
    expect(isHubspokeError(error) && error.code).toBe('E_LOCKED');
    await source.saveDraft(draft, etag);
    const stale = await source.saveDraft(draft, etag).catch((e: unknown) => e);
    expect(isHubspokeError(stale) && stale.code).toBe('E_CONFLICT');
  });
});
