import type { Draft, Template } from '@hubspoke/core';
import type { Skeleton, SkeletonRequest } from '@hubspoke/template-engine/fill';
import {
  defineHubspokeElements,
  MemoryHub,
  workerLinter,
  type DraftSession,
  type HubInfo,
  type MemoryStage,
  type Viewer,
} from '../../src/index.js';
import { startLintWorker } from '../../app/lint-boot.js';

/** What a browser test hands the page: the hub's data, and a bridge to mjml in Node for skeletons. */
interface Fixture {
  hub: HubInfo;
  templates: Template[];
  viewers: Viewer[];
  stages?: MemoryStage[];
  drafts?: Draft[];
  now: string;
  /** Mounted as soon as the page starts, as the app mounts the view in its URL (the bench's cold load). */
  mount?: { view: 'editor' | 'review' | 'inbox'; viewerId: string; id?: string };
}

declare global {
  interface Window {
    hubspokeFixture: Fixture;
    hubspokeSkeleton(request: SkeletonRequest & { key: string }): Promise<Skeleton>;
    hubspoke: {
      hub: MemoryHub;
      session: DraftSession | undefined;
      mount(view: 'editor' | 'review' | 'inbox', viewerId: string, id?: string): void;
      skeletonRequests: number;
    };
  }
}

defineHubspokeElements();
const fixture = window.hubspokeFixture;
const stats = { skeletonRequests: 0 };
const hub = new MemoryHub({
  hub: fixture.hub,
  templates: fixture.templates,
  viewers: fixture.viewers,
  ...(fixture.stages === undefined ? {} : { stages: fixture.stages }),
  ...(fixture.drafts === undefined ? {} : { drafts: fixture.drafts }),
  overrideRoles: ['brand-lead'],
  now: () => new Date(fixture.now),
  skeleton: (request) => {
    stats.skeletonRequests += 1;
    return window.hubspokeSkeleton(request);
  },
  assist: {
    subjectVariants: () =>
      Promise.resolve([
        { text: 'Spring trails are open, {{ contact.firstName | default: "friend" }}', diagnostics: [] },
        {
          text: 'CHEAP spring deals!!!',
          diagnostics: [
            { ruleId: 'brand/banned-term', severity: 'error', message: '"CHEAP" is a banned term', location: {} },
          ],
        },
      ]),
    altText: () => Promise.resolve([{ text: 'Hikers on a spring trail above a lake', diagnostics: [] }]),
    translate: () =>
      Promise.resolve({
        content: {
          subject: 'Der Frühling ist da',
          slots: { hero: { headline: 'Der Frühling ist da, {{ contact.firstName | default: "zusammen" }}' } },
        },
        diagnostics: [],
      }),
  },
});

// As the app does: the lint worker started by lint-boot.ts (its own script, ahead of this one), so
// the first draft opened finds it loaded.
const lintInWorker = workerLinter(startLintWorker);

let viewing = '';
document.addEventListener('hubspoke-open-review', (e) => {
  window.hubspoke.mount('review', viewing, (e as CustomEvent<{ submissionId: string }>).detail.submissionId);
});

window.hubspoke = {
  hub,
  session: undefined,
  get skeletonRequests() {
    return stats.skeletonRequests;
  },
  mount(view, viewerId, id) {
    const root = document.getElementById('root');
    if (!root) return;
    viewing = viewerId;
    const source = hub.as(viewerId);
    const element = document.createElement(
      view === 'editor' ? 'hubspoke-editor' : view === 'review' ? 'hubspoke-review' : 'hubspoke-inbox',
    ) as HTMLElement & { source: unknown; draftId?: string | undefined; submissionId?: string | undefined };
    element.addEventListener('hubspoke-session', (e) => {
      window.hubspoke.session = (e as CustomEvent<{ session: DraftSession }>).detail.session;
    });
    element.source = source;
    // As the app does: the linter in a worker (the bench measures this path).
    if (view === 'editor')
      (element as unknown as { sessionOptions: unknown }).sessionOptions = { linter: lintInWorker };
    if (view === 'editor') element.draftId = id;
    if (view === 'review') element.submissionId = id;
    root.replaceChildren(element);
  },
};

if (fixture.mount !== undefined) window.hubspoke.mount(fixture.mount.view, fixture.mount.viewerId, fixture.mount.id);
