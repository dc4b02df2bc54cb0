import type { Principal } from '@hubspoke/core';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** The `--dev` sign-in page: pick a person from the directory. Loud, because anyone can be anyone. */
export function devSignInPage(people: readonly Principal[], returnTo: string, nonce: string): string {
  const rows = people
    .map((p) => {
      const where = [...p.regions, ...p.teams].join(' · ');
      return `<li><form method="post" action="/auth/dev/sign-in"><input type="hidden" name="person" value="${escape(p.id)}"><input type="hidden" name="returnTo" value="${escape(returnTo)}"><button type="submit"><span class="name">${escape(p.name ?? p.id)}</span><span class="meta">${escape(p.roles.join(', ') || 'no role')}${where === '' ? '' : ` — ${escape(where)}`}</span></button></form></li>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in (development mode) — Hubspoke</title>
<style nonce="${nonce}">
  :root { color-scheme: light; font: 16px/1.5 system-ui, sans-serif; color: #1b1f24; background: #f6f7f9; }
  body { margin: 0; }
  .banner { background: #8a1c00; color: #fff; padding: 12px 24px; font-weight: 700; letter-spacing: .02em; }
  main { max-width: 40rem; margin: 32px auto; padding: 0 24px; }
  h1 { font-size: 1.75rem; margin: 0 0 4px; }
  p { margin: 0 0 24px; color: #4a5360; }
  ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
  button { width: 100%; display: flex; flex-direction: column; align-items: flex-start; gap: 2px; padding: 12px 16px;
    background: #fff; border: 1px solid #c9ced6; border-radius: 8px; font: inherit; color: inherit; cursor: pointer; text-align: left; }
  button:hover { border-color: #0b57d0; }
  button:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  .name { font-weight: 600; }
  .meta { font-size: .875rem; color: #4a5360; }
  .empty { padding: 16px; border: 1px dashed #c9ced6; border-radius: 8px; }
</style></head>
<body>
<div class="banner" role="alert">DEVELOPMENT MODE — no password: anyone who can reach this server can act as anyone. Loopback only; never expose it.</div>
<main>
<h1>Sign in as</h1>
<p>The people in this hub's directory. Every action is recorded under the person you pick, with issuer “hubspoke-dev”.</p>
${people.length === 0 ? '<div class="empty">The directory has no people. Add <code>principals</code> to hubspoke.config.</div>' : `<ul>${rows}</ul>`}
</main></body></html>`;
}
