import { applyDarkMode } from '@hubspoke/editor/dark-mode';

interface Diagnostic {
  ruleId: string;
  severity: 'error' | 'warning' | 'suggestion';
  message: string;
  location: { instanceId?: string; slotId?: string; locale?: string; field?: string };
}
interface Render {
  subject: string;
  preheader: string;
  html: string;
  /** The email as a dark-preferring client shows it (its own dark-mode CSS), when the brand has a dark scheme. */
  darkHtml?: string;
  diagnostics: Diagnostic[];
  /** Remote images the preview's policy kept from loading. */
  blockedImages: string[];
}
interface State {
  title: string;
  locales: string[];
  contacts: { id: string; label: string }[];
  review: boolean;
}
interface Review {
  submissionId: string;
  status: string;
  actingAs: string;
  stages: {
    id: string;
    name: string;
    status: string;
    decisions: { reviewer: string; decision: string; reason?: string }[];
  }[];
  comments: {
    id: string;
    author: string;
    text: string;
    anchor?: { instanceId?: string; slotId?: string; locale?: string };
    resolved: boolean;
    outdated: boolean;
  }[];
  allowedDecisions: string[];
}

const DECISION_LABELS: Record<string, string> = {
  approved: 'Approve',
  approvedWithChanges: 'Approve with changes',
  changesRequired: 'Request changes',
  notRelevant: 'Not relevant',
  rejected: 'Reject',
};

const token = new URLSearchParams(location.search).get('token') ?? '';
/** The element with `id`, checked to be of `type`. */
function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`missing #${id}`);
  return el;
}
const $ = (id: string) => byId(id, HTMLElement);
const frames = [byId('frame-desktop', HTMLIFrameElement), byId('frame-mobile', HTMLIFrameElement)];
const localeSelect = byId('locale', HTMLSelectElement);
const contactSelect = byId('contact', HTMLSelectElement);
const announcer = $('announcer');
const errorBox = $('error');
let selected: string | undefined;

/** Shows why the preview could not update (e.g. a draft saved half-way), or clears it. */
function showError(error: unknown): void {
  const message = error === undefined ? '' : error instanceof Error ? error.message : 'the preview could not update';
  errorBox.textContent = message;
  errorBox.hidden = message === '';
  if (message === '') delete document.body.dataset.error;
  else document.body.dataset.error = message;
}

/** Runs a UI action; a failure is shown on the page instead of being lost. */
function attempt(action: () => Promise<void>): void {
  action().then(() => {
    showError(undefined);
  }, showError);
}

async function api(path: string, init?: RequestInit): Promise<unknown> {
  const res = await fetch(path, {
    ...init,
    headers: { 'x-hubspoke-token': token, 'content-type': 'application/json' },
  });
  const body = (await res.json()) as { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? res.statusText);
  return body;
}

function scheme(): 'light' | 'dark' {
  return document.querySelector<HTMLInputElement>('input[name=scheme]:checked')?.value === 'dark' ? 'dark' : 'light';
}

function option(value: string, label: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  return o;
}

/**
 * Loads the email into a frame. In dark mode an email with its own dark-mode CSS is shown with
 * that CSS applied (`darkHtml`); one without any gets a simulated inversion, as Gmail's apps do.
 */
function loadFrame(frame: HTMLIFrameElement, render: Render): Promise<void> {
  const dark = scheme() === 'dark';
  const own = dark && render.darkHtml !== undefined;
  const html = own ? (render.darkHtml ?? render.html) : render.html;
  document.body.dataset.darkMode = dark ? (own ? 'email' : 'simulated') : 'off';
  $('scheme-note').textContent = dark
    ? own
      ? 'Dark: the email’s own dark-mode CSS (prefers-color-scheme: dark)'
      : 'Dark (simulated): this email has no dark-mode CSS, showing an inversion as Gmail’s apps do'
    : '';
  return new Promise((resolve) => {
    frame.addEventListener(
      'load',
      () => {
        const doc = frame.contentDocument;
        if (doc !== null) {
          if (dark && !own) applyDarkMode(doc);
          frame.style.height = `${Math.max(200, doc.documentElement.scrollHeight)}px`;
        }
        resolve();
      },
      { once: true },
    );
    frame.srcdoc = html;
  });
}

function highlight(slot: string | undefined): void {
  selected = slot;
  for (const frame of frames) {
    const doc = frame.contentDocument;
    if (doc === null) continue;
    for (const el of Array.from(doc.querySelectorAll<HTMLElement>('[data-hs-highlight]'))) {
      el.style.outline = '';
      el.removeAttribute('data-hs-highlight');
    }
    if (slot === undefined) continue;
    const target = doc.querySelector<HTMLElement>(`[data-hs-slot="${CSS.escape(slot)}"]`);
    if (target === null) continue;
    target.setAttribute('data-hs-highlight', 'true');
    target.style.outline = '3px solid #ff3d00';
    target.style.outlineOffset = '2px';
    target.scrollIntoView({ block: 'center' });
  }
}

function renderDiagnostics(list: Diagnostic[]): void {
  const ul = $('diagnostics');
  ul.replaceChildren();
  $('diagnostic-count').textContent = `(${list.length})`;
  for (const d of list) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `sev-${d.severity}`;
    const slot =
      d.location.instanceId !== undefined && d.location.slotId !== undefined
        ? `${d.location.instanceId}/${d.location.slotId}`
        : undefined;
    if (slot !== undefined) button.dataset.slot = slot;
    const where = slot ?? d.location.field ?? '';
    button.innerHTML = '';
    const sev = document.createElement('strong');
    sev.textContent = `${d.severity}: `;
    const msg = document.createElement('span');
    msg.textContent = d.message;
    const meta = document.createElement('div');
    meta.className = 'rule';
    meta.textContent = `${d.ruleId}${where === '' ? '' : ` · ${where}`}`;
    button.append(sev, msg, meta);
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('click', () => {
      for (const b of Array.from(ul.querySelectorAll('button'))) b.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-pressed', 'true');
      highlight(slot);
      announcer.textContent = slot === undefined ? 'This finding has no slot to highlight' : `Highlighted ${slot}`;
    });
    li.append(button);
    ul.append(li);
  }
  if (list.length === 0) {
    const li = document.createElement('li');
    li.textContent = 'No findings.';
    ul.append(li);
  }
}

function renderBlockedImages(urls: string[]): void {
  const note = $('image-note');
  note.hidden = urls.length === 0;
  const list = urls.slice(0, 5).join(', ') + (urls.length > 5 ? ` and ${String(urls.length - 5)} more` : '');
  note.textContent =
    urls.length === 0
      ? ''
      : `Not loaded: ${String(urls.length)} image${urls.length === 1 ? '' : 's'} from outside the brand's asset library (${list}). Start the preview with --remote-images to load them.`;
}

async function refresh(): Promise<void> {
  const contact = contactSelect.value;
  const render = (await api(
    `/api/render?locale=${encodeURIComponent(localeSelect.value)}&contact=${encodeURIComponent(contact)}`,
  )) as Render;
  $('subject').textContent = render.subject;
  $('preheader').textContent = render.preheader;
  renderDiagnostics(render.diagnostics);
  renderBlockedImages(render.blockedImages);
  await Promise.all(frames.map((f) => loadFrame(f, render)));
  document.body.dataset.ready = `${localeSelect.value}|${contact}|${scheme()}`;
  if (selected !== undefined) highlight(selected);
}

function renderReview(review: Review): void {
  $('review').hidden = false;
  $('review-status').textContent = review.status;
  $('review-actor').textContent = review.actingAs;
  const stages = $('review-stages');
  stages.replaceChildren(
    ...review.stages.map((s) => {
      const li = document.createElement('li');
      const decided = s.decisions
        .map((d) => `${d.reviewer}: ${d.decision}${d.reason === undefined ? '' : ` “${d.reason}”`}`)
        .join(', ');
      li.textContent = `${s.name} — ${s.status}${decided === '' ? '' : ` (${decided})`}`;
      return li;
    }),
  );
  const comments = $('review-comments');
  comments.replaceChildren(
    ...review.comments.map((c) => {
      const li = document.createElement('li');
      if (c.outdated) li.className = 'outdated';
      const where =
        c.anchor?.instanceId !== undefined
          ? ` on ${c.anchor.instanceId}${c.anchor.slotId === undefined ? '' : `/${c.anchor.slotId}`}`
          : '';
      li.textContent = `${c.author}${where}: ${c.text}${c.resolved ? ' (resolved)' : ''}${c.outdated ? ' (outdated)' : ''}`;
      return li;
    }),
  );
  const decisions = $('decisions');
  decisions.replaceChildren(
    ...review.allowedDecisions.map((d) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.decision = d;
      b.textContent = DECISION_LABELS[d] ?? d;
      b.addEventListener('click', () => {
        attempt(() => decide(d));
      });
      return b;
    }),
  );
}

async function decide(decision: string): Promise<void> {
  const text = byId('comment-text', HTMLTextAreaElement);
  // The text box's content goes with the decision as its reason.
  const review = (await api('/api/decide', {
    method: 'POST',
    body: JSON.stringify({ decision, reason: text.value === '' ? undefined : text.value }),
  })) as Review;
  text.value = '';
  renderReview(review);
  announcer.textContent = `Decision recorded: ${DECISION_LABELS[decision] ?? decision}. Status ${review.status}.`;
}

async function main(): Promise<void> {
  const state = (await api('/api/state')) as State;
  $('title').textContent = state.title;
  document.title = `${state.title} · Hubspoke preview`;
  localeSelect.replaceChildren(...state.locales.map((l) => option(l, l)));
  contactSelect.replaceChildren(
    option('', 'Sample data off (fallbacks)'),
    ...state.contacts.map((c) => option(c.id, c.label)),
  );
  if (state.contacts[0] !== undefined) contactSelect.value = state.contacts[0].id;
  for (const el of [localeSelect, contactSelect, ...Array.from(document.querySelectorAll('input[name=scheme]'))]) {
    el.addEventListener('change', () => {
      attempt(refresh);
    });
  }
  byId('comment-form', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    const text = byId('comment-text', HTMLTextAreaElement);
    const [instanceId, slotId] = selected?.split('/') ?? [];
    attempt(async () => {
      const review = (await api('/api/comment', {
        method: 'POST',
        body: JSON.stringify({ text: text.value, anchor: { instanceId, slotId, locale: localeSelect.value } }),
      })) as Review;
      text.value = '';
      renderReview(review);
    });
  });
  const events = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  events.addEventListener('reload', () => {
    attempt(async () => {
      await refresh();
      if (state.review) renderReview((await api('/api/review')) as Review);
      announcer.textContent = 'Preview updated';
    });
  });
  await refresh();
  if (state.review) renderReview((await api('/api/review')) as Review);
}

attempt(main);
