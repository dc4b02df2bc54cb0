import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { caniemail as upstream } from 'caniemail';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newsletter, newsletterDraft } from '../../__fixtures__/fixtures.js';
import { render } from '../../render/render.js';
import { checkCompatibility } from '../compatibility.js';
import { caniemail, clientsMatching, type Issues } from './check.js';
import { CLIENTS } from './features.js';

const packageDir = fileURLToPath(new URL('../../..', import.meta.url));

type Comparable = Record<string, { title: string; support: string; notes: string[]; at: string }[]>;

function comparable(map: Map<string, { title: string; support: string; notes: string[]; position?: unknown }[]>) {
  const out: Comparable = {};
  for (const [client, list] of map) {
    out[client] = list.map((i) => {
      const p = i.position as
        { start: { line: number; column: number }; end: { line: number; column: number } } | undefined;
      return {
        title: i.title,
        support: i.support,
        notes: i.notes,
        at: p ? `${p.start.line}:${p.start.column}-${p.end.line}:${p.end.column}` : '',
      };
    });
  }
  return out;
}

/**
 * caniemail's result for one client, or undefined when caniemail throws because one of the features
 * in `html` has no entry for that client (the port skips such a feature instead).
 */
function upstreamFor(client: string, html: string): { errors: Comparable; warnings: Comparable } | undefined {
  try {
    const { issues } = upstream({ clients: [client] as Parameters<typeof upstream>[0]['clients'], html });
    return { errors: comparable(issues.errors as never), warnings: comparable(issues.warnings as never) };
  } catch (error) {
    if (error instanceof RangeError && error.message.includes(' not found on ')) return undefined;
    throw error;
  }
}

function portFor(client: string, html: string): { errors: Comparable; warnings: Comparable } {
  const issues: Issues = caniemail({ clients: [client], html });
  return { errors: comparable(issues.errors), warnings: comparable(issues.warnings) };
}

/** Compares the port with caniemail client by client; returns how many clients were compared. */
function compare(html: string, clients: readonly string[] = CLIENTS): number {
  let compared = 0;
  for (const client of clients) {
    const expected = upstreamFor(client, html);
    if (expected === undefined) continue;
    expect(portFor(client, html), `${client}\n${html}`).toEqual(expected);
    compared++;
  }
  return compared;
}

const FRAGMENTS = [
  '<!doctype html>',
  '<html amp4email lang="en" dir="rtl">',
  '<head><meta name="color-scheme" content="light dark"><title>x</title></head>',
  '<style>\n.a > .b + .c ~ p, td * { display:flex; gap: 4px; }\n/* note */\n@media (prefers-color-scheme: dark) { .x { color: #fff } }\n</style>',
  '<style>a:hover { color: var(--c); width: calc(100% - 2rem); } [data-x] .y.z { margin-inline: 1ch; }</style>',
  '<style>@font-face { font-family: X; src: url(x.woff2) } div & p { object-fit: cover }</style>',
  '<table role="presentation" cellpadding="0"><tr><td style="background-image:url(\'a.webp\');border-radius:8px;padding-block:4px">x</td></tr></table>',
  '<p style="font-family: system-ui, sans-serif; width: fit-content; position: absolute; line-height: 1.5em">p</p>',
  '<a href="#top" name="top">local</a>',
  '<a href="mailto:x@example.com" target="_blank">mail</a>',
  '<img src="hero.png" srcset="a.avif 1x, b.svg 2x" sizes="100vw" alt="" loading="lazy" width="600">',
  '<picture><source srcset="data:image/webp;base64,AAAA" type="image/webp"><img src="c.gif"></picture>',
  '<svg viewBox="0 0 1 1"><image href="x.png"/></svg>',
  '<!-- comment -->',
  '<video controls><source src="v.mp4"></video>',
  '<section><header>h</header><nav>n</nav><details><summary>s</summary>d</details></section>',
  '<map name="m"><area shape="rect" coords="0,0,1,1" href="#"></map>',
  '<form><input type="checkbox" checked><button type="submit">Go</button></form>',
  '<div style="display:grid;grid-template-columns:1fr 1fr;box-shadow:0 0 1px #000;transform:rotate(2deg)">g</div>',
  '<span style="color-scheme: light dark; mix-blend-mode: multiply">s</span>',
  '<ul><li>1</li></ul><ol start="3"><li>2</li></ol>',
  '<blockquote>q</blockquote><hr><br><sup>1</sup><bdi>b</bdi><wbr>',
  '<div dir="auto" lang="fr" title="t" aria-label="l">attrs</div>',
  '\r\n',
  '\n',
  '</html>',
];

describe('the caniemail port', () => {
  it('data.json is what scripts/caniemail-data.mjs generates from the installed caniemail', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/caniemail-data.mjs', '--check'], { cwd: packageDir, stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('knows caniemail’s 48 clients and its globs', () => {
    const raw = JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('caniemail/caniemail.json')), 'utf8')) as {
      data: { stats: Record<string, Record<string, unknown>> }[];
    };
    const upstreamClients = new Set(
      raw.data.flatMap((f) => Object.entries(f.stats).flatMap(([fam, p]) => Object.keys(p).map((x) => `${fam}.${x}`))),
    );
    expect([...CLIENTS].sort()).toEqual([...upstreamClients].sort());
    expect(CLIENTS).toHaveLength(48);
    expect(clientsMatching(['*'])).toHaveLength(48);
    expect(clientsMatching(['gmail.*', '*.ios', 'outlook.windows'])).toEqual(
      expect.arrayContaining(['gmail.android', 'apple-mail.ios', 'outlook.windows']),
    );
    expect(() => caniemail({ clients: ['nope.nothing'], html: '<p>x</p>' })).toThrow(RangeError);
  });

  it('reports what caniemail reports for each fragment, client by client', () => {
    let compared = 0;
    for (const html of [FRAGMENTS.join('\n'), ...FRAGMENTS]) compared += compare(html);
    expect(compared).toBeGreaterThan(500);
  });

  it('reports what caniemail reports for a rendered newsletter', async () => {
    const t = newsletter();
    const email = await render(t, newsletterDraft(t));
    expect(compare(email.html)).toBeGreaterThan(20);
  });

  it('reports what caniemail reports for documents assembled from features (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(
          'gmail.desktop-webmail',
          'outlook.windows',
          'apple-mail.ios',
          'yahoo.android',
          'samsung-email.android',
        ),
        (parts, client) => {
          const html = parts.join('');
          const expected = upstreamFor(client, html);
          if (expected !== undefined) expect(portFor(client, html)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('checks all 48 clients without failing on a feature some client has no data for', async () => {
    const t = newsletter();
    const draft = newsletterDraft(t);
    const report = await checkCompatibility(t, draft, await render(t, draft), { clients: ['*'] });
    expect(report.clients.length).toBeGreaterThan(40);
    // caniemail itself throws for the same email and clients.
    expect(() => upstream({ clients: ['*'], html: '<style>p{color:red}</style><p>x</p>' })).toThrow(/not found on/);
  });
});
