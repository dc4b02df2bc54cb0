import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { isHubspokeError } from '@hubspoke/core';
import type { DraftSessionOptions } from '../model/session.js';
import type { DraftSummary, EditorDataSource, TemplateSummary, Viewer } from '../source/types.js';
import { editorStyles } from './editor-styles.js';
import { tokens } from './styles.js';

type Route = { view: 'home' } | { view: 'inbox' } | { view: 'draft'; id: string } | { view: 'review'; id: string };

/** `#/drafts/<id>`, `#/review/<id>`, `#/inbox`, anything else: home. */
export function parseRoute(hash: string): Route {
  const [, view, id] = /^#\/(drafts|review|inbox)(?:\/([^/?#]+))?$/.exec(hash) ?? [];
  const decoded = id === undefined ? undefined : safeDecode(id);
  if (view === 'drafts' && decoded !== undefined) return { view: 'draft', id: decoded };
  if (view === 'review' && decoded !== undefined) return { view: 'review', id: decoded };
  if (view === 'inbox') return { view: 'inbox' };
  return { view: 'home' };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

const STATUS = {
  draft: ['Draft', 'info'],
  inReview: ['In review', 'info'],
  returned: ['Changes requested', 'warning'],
  approved: ['Approved', 'ok'],
  rejected: ['Rejected', 'error'],
} as const;

/**
 * `<hubspoke-app>`: the hub web app around the elements: sign-in, "my drafts" and "new from
 * template" (the templates the viewer's region may use), the editor, the reviewer's inbox and
 * review panel, routed by the URL's hash so the browser's back button and links work.
 */
export class HubspokeApp extends LitElement {
  static override styles = [
    tokens,
    editorStyles,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--hs-canvas);
      }
      .top {
        display: flex;
        align-items: center;
        gap: var(--hs-space-5);
        padding: var(--hs-space-3) var(--hs-space-5);
        background: var(--hs-surface);
        border-bottom: 1px solid var(--hs-line);
      }
      .brand {
        font-weight: 700;
        font-size: var(--hs-text-md);
        color: var(--hs-ink);
        text-decoration: none;
      }
      nav ul {
        display: flex;
        gap: var(--hs-space-2);
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        display: inline-block;
        padding: var(--hs-space-1) var(--hs-space-3);
        border-radius: var(--hs-radius);
        color: var(--hs-primary);
        font-weight: 600;
        text-decoration: none;
      }
      nav a[aria-current='page'] {
        background: var(--hs-primary-soft);
        color: var(--hs-primary-strong);
      }
      .who {
        margin-left: auto;
        display: flex;
        align-items: center;
        gap: var(--hs-space-3);
      }
      main.home {
        max-width: 1040px;
        margin: 0 auto;
        padding: var(--hs-space-6) var(--hs-space-5);
        display: grid;
        gap: var(--hs-space-6);
      }
      .cards {
        list-style: none;
        margin: var(--hs-space-3) 0 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
        gap: var(--hs-space-3);
      }
      .card {
        display: grid;
        gap: var(--hs-space-2);
        padding: var(--hs-space-4);
        background: var(--hs-surface);
        border: 1px solid var(--hs-line);
        border-radius: var(--hs-radius);
      }
      .card a {
        color: var(--hs-ink);
        font-weight: 650;
        font-size: var(--hs-text-md);
      }
      .new-form {
        display: grid;
        gap: var(--hs-space-2);
      }
      .new-form .row {
        display: flex;
        gap: var(--hs-space-2);
      }
      .new-form input {
        flex: 1;
        min-height: 36px;
        padding: 0 var(--hs-space-3);
        border: 1px solid var(--hs-line-strong);
        border-radius: var(--hs-radius);
      }
      .signin {
        max-width: 480px;
        margin: 15vh auto 0;
        display: grid;
        gap: var(--hs-space-4);
        padding: var(--hs-space-6);
        background: var(--hs-surface);
        border: 1px solid var(--hs-line);
        border-radius: var(--hs-radius);
      }
      .signin a.btn {
        text-decoration: none;
        justify-self: start;
      }
    `,
  ];
  static override properties = {
    source: { attribute: false },
    signInUrl: { attribute: 'sign-in-url' },
    sessionOptions: { attribute: false },
    route: { state: true },
    viewer: { state: true },
    hubName: { state: true },
    drafts: { state: true },
    templates: { state: true },
    failure: { state: true },
    signedOut: { state: true },
    creating: { state: true },
  };
  declare source: (EditorDataSource & { signOut?(): Promise<void> }) | undefined;
  /** Where "Sign in" goes (`returnTo` is added). Default `/auth/login`. */
  declare signInUrl: string;
  /** Passed to each `<hubspoke-editor>` (e.g. `{ linter: workerLinter(…) }`). */
  declare sessionOptions: DraftSessionOptions | undefined;
  declare private route: Route;
  declare private viewer: Viewer | undefined;
  declare private hubName: string;
  declare private drafts: DraftSummary[] | undefined;
  declare private templates: TemplateSummary[] | undefined;
  declare private failure: string | undefined;
  declare private signedOut: boolean;
  declare private creating: string | undefined;

  private readonly onHash = () => {
    this.route = parseRoute(location.hash);
  };

  constructor() {
    super();
    this.signInUrl = '/auth/login';
    this.route = parseRoute(typeof location === 'undefined' ? '' : location.hash);
    this.hubName = 'Hubspoke';
    this.signedOut = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('hashchange', this.onHash);
    this.addEventListener('hubspoke-open-review', (e) => {
      location.hash = `#/review/${encodeURIComponent((e as CustomEvent<{ submissionId: string }>).detail.submissionId)}`;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.onHash);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('source') && this.source) void this.start();
    if (changed.has('route')) {
      if (this.route.view === 'home' && this.viewer) void this.loadHome();
      const title = { home: 'Home', inbox: 'Inbox', draft: 'Editor', review: 'Review' }[this.route.view];
      document.title = `${title} — ${this.hubName}`;
    }
  }

  private async start(): Promise<void> {
    const source = this.source;
    if (!source) return;
    this.failure = undefined;
    try {
      const [viewer, hub] = await Promise.all([source.viewer(), source.hub()]);
      this.viewer = viewer;
      this.hubName = hub.name;
      this.signedOut = false;
      if (this.route.view === 'home') await this.loadHome();
    } catch (error) {
      if (isHubspokeError(error, 'E_AUTH')) this.signedOut = true;
      else this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  private async loadHome(): Promise<void> {
    const source = this.source;
    if (!source) return;
    try {
      const [drafts, templates] = await Promise.all([source.drafts(), source.templates()]);
      this.drafts = drafts;
      this.templates = templates;
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  private async create(event: SubmitEvent, template: TemplateSummary): Promise<void> {
    event.preventDefault();
    const source = this.source;
    const form = event.currentTarget as HTMLFormElement;
    const name = (new FormData(form).get('name') as string | null)?.trim() ?? '';
    if (!source || name === '') return;
    this.creating = template.id;
    try {
      const record = await source.createDraft({ templateId: template.id, name });
      location.hash = `#/drafts/${encodeURIComponent(record.draft.id)}`;
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    } finally {
      this.creating = undefined;
    }
  }

  private async signOut(): Promise<void> {
    await this.source?.signOut?.();
    this.viewer = undefined;
    this.signedOut = true;
  }

  private top(): TemplateResult {
    const v = this.route.view;
    return html`<header class="top">
      <a class="brand" href="#/">${this.hubName}</a>
      <nav aria-label="Main">
        <ul>
          <li><a href="#/" aria-current=${v === 'home' || v === 'draft' ? 'page' : 'false'}>My drafts</a></li>
          ${
            this.viewer?.reviewer === true
              ? html`<li>
                  <a href="#/inbox" aria-current=${v === 'inbox' || v === 'review' ? 'page' : 'false'}>Inbox</a>
                </li>`
              : nothing
          }
        </ul>
      </nav>
      <div class="who">
        <span class="muted">${this.viewer?.name}</span>
        ${
          this.source?.signOut === undefined
            ? nothing
            : html`<button type="button" class="btn small" @click=${() => void this.signOut()}>Sign out</button>`
        }
      </div>
    </header>`;
  }

  private home(): TemplateResult {
    const drafts = this.drafts;
    const templates = this.templates;
    return html`<main class="home">
      <section aria-labelledby="hs-my-drafts">
        <h1 id="hs-my-drafts">My drafts</h1>
        ${
          drafts === undefined
            ? html`<div class="state" role="status">
                <div class="spinner"></div>
                <strong>Loading your drafts…</strong>
              </div>`
            : drafts.length === 0
              ? html`<div class="state">
                  <strong>No drafts yet.</strong><span>Start one from a template below.</span>
                </div>`
              : html`<ul class="cards">
                  ${drafts.map((d) => {
                    const [label, tone] = STATUS[d.status];
                    return html`<li class="card">
                      <a href="#/drafts/${encodeURIComponent(d.id)}">${d.name}</a>
                      <span class="muted small">${d.templateName} · ${d.locales.join(', ')}</span>
                      <span><span class="badge ${tone}">${label}</span></span>
                    </li>`;
                  })}
                </ul>`
        }
      </section>
      <section aria-labelledby="hs-new">
        <h2 id="hs-new">New from template</h2>
        <p class="muted">The templates your region may use. Locked parts stay as the hub designed them.</p>
        ${
          templates === undefined
            ? nothing
            : templates.length === 0
              ? html`<div class="state">
                  <strong>No templates.</strong><span>Ask the hub team to publish one.</span>
                </div>`
              : html`<ul class="cards">
                  ${templates.map(
                    (t) =>
                      html`<li class="card">
                        <h3>${t.name}</h3>
                        ${t.description === undefined ? nothing : html`<p class="muted small">${t.description}</p>`}
                        <form class="new-form" @submit=${(e: SubmitEvent) => void this.create(e, t)}>
                          <label for="hs-name-${t.id}">Name of the new email</label>
                          <div class="row">
                            <input id="hs-name-${t.id}" name="name" required maxlength="200" autocomplete="off" />
                            <button type="submit" class="btn primary" ?disabled=${this.creating !== undefined}>
                              Start<span class="visually-hidden"> from ${t.name}</span>
                            </button>
                          </div>
                        </form>
                      </li>`,
                  )}
                </ul>`
        }
      </section>
    </main>`;
  }

  protected override render() {
    if (this.signedOut) {
      const back = typeof location === 'undefined' ? '/' : `${location.pathname}${location.hash}`;
      return html`<main class="signin">
        <h1>Sign in to ${this.hubName}</h1>
        <p class="muted">Drafts, reviews and the brand's templates, for the people of this hub.</p>
        <a class="btn primary" href="${this.signInUrl}?returnTo=${encodeURIComponent(back)}">Sign in</a>
      </main>`;
    }
    if (this.failure !== undefined)
      return html`${this.viewer ? this.top() : nothing}
        <main class="home">
          <div class="state error" role="alert">
            <strong>Something went wrong.</strong><span>${this.failure}</span>
            <button type="button" class="btn" @click=${() => void this.start()}>Try again</button>
          </div>
        </main>`;
    if (!this.viewer || !this.source)
      return html`<main class="home">
        <div class="state" role="status">
          <div class="spinner"></div>
          <strong>Loading…</strong>
        </div>
      </main>`;
    const r = this.route;
    return html`${this.top()}
    ${
      r.view === 'draft'
        ? html`<main>
            <hubspoke-editor
              .source=${this.source}
              .sessionOptions=${this.sessionOptions}
              .draftId=${r.id}
            ></hubspoke-editor>
          </main>`
        : r.view === 'review'
          ? html`<main><hubspoke-review .source=${this.source} .submissionId=${r.id}></hubspoke-review></main>`
          : r.view === 'inbox'
            ? html`<main class="home"><hubspoke-inbox .source=${this.source}></hubspoke-inbox></main>`
            : this.home()
    }`;
  }
}
