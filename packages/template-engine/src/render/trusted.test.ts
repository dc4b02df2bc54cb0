import type { Dialect } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { draftOf, mjml, template } from '../__fixtures__/fixtures.js';
import { render } from './render.js';
import { neutralizeLive } from './trusted.js';

const T = template(
  mjml(
    `<mj-section hs-module="m"><mj-column>
  <mj-text hs-slot="body" hs-kind="richText">
    <table style="width:100%"><tr><td style="color:#333333;font-size:15px">Tom &amp; Jerry&nbsp;&rsquo;s <img src="https://x.example/i.png" alt=""></td></tr></table>
    <p style="margin:0">Hi {{ contact.firstName | default: "Tom &amp; Jerry" }}, save 20% &mdash; {{lead.First Name}}</p>
  </mj-text>
  <mj-text><h1 hs-slot="title" hs-kind="text" style="margin:0">Spring&nbsp;sale &amp; more</h1></mj-text>
  <mj-button hs-slot="cta" hs-kind="link" hs-lock="textOnly" href="https://x.example/?a=1&amp;b=2">Go &rarr;</mj-button>
  <mj-image hs-slot="photo" hs-kind="image" hs-lock="textOnly" src="https://x.example/p.png?w=1&amp;h=2" alt="Tom &amp; Jerry" />
</mj-column></mj-section>`,
    '<mj-title>It&#8217;s {{ contact.firstName | default: "here" }}</mj-title>',
  ),
);

async function html(dialect: Dialect, content: Parameters<typeof draftOf>[2] = { en: {} }) {
  return (await render(T, draftOf(T, ['m'], content), { dialect })).html;
}

describe('hub-authored defaults', () => {
  it('render as the hub wrote them: markup, styles, tables, images and entities', async () => {
    const out = await html('preview');
    expect(out).toContain(
      '<table style="width:100%"><tr><td style="color:#333333;font-size:15px">Tom &amp; Jerry&nbsp;&rsquo;s <img src="https://x.example/i.png" alt=""></td></tr></table>',
    );
    expect(out).toContain('<h1 style="margin:0">Spring&nbsp;sale &amp; more</h1>');
    expect(out).toContain('href="https://x.example/?a=1&amp;b=2"');
    expect(out).toContain('Go &rarr;');
    expect(out).toContain('src="https://x.example/p.png?w=1&amp;h=2"');
    expect(out).toContain('alt="Tom &amp; Jerry"');
    expect(out).toContain('<title>It&#8217;s here</title>');
    // Neutral tokens stay live, with entities in their fallbacks read as text.
    expect(out).toContain('Hi Tom &amp; Jerry, save 20% &mdash; {{lead.First Name}}</p>');
  });

  it('compile their tokens per dialect and make every other live sequence inert', async () => {
    const marketo = await html('marketo');
    // Marketo defaults cannot hold "&": the token is emitted without it (reported by compile).
    expect(marketo).toContain('Hi {{lead.First Name}}, save 20% &mdash; &#123;{lead.First Name}}');
    const sfmc = await html('sfmc');
    expect(sfmc).toContain('save 20% &mdash;');
    expect(sfmc).not.toMatch(/\{\{lead/);
  });

  it('only while nobody changed them: spoke values are sanitized and escaped, locked parts stay as written', async () => {
    const out = await html('preview', {
      en: {
        slots: {
          m: {
            body: '<table><tr><td style="color:red">x</td></tr></table><p>Ok&nbsp;then</p>',
            title: 'Spring\u00a0sale & more',
            cta: { href: 'https://x.example/?a=1&b=2', text: 'Go now' },
            photo: { src: 'https://x.example/p.png?w=1&h=2', alt: 'A cat' },
          },
        },
      },
    });
    expect(out).not.toContain('<table><tr><td style="color:red">');
    expect(out).toContain('<p>Ok\u00a0then</p>');
    expect(out).toContain('<h1 style="margin:0">Spring\u00a0sale &amp; more</h1>');
    expect(out).toContain('Go now');
    // href and src are locked (textOnly): the hub's attribute renders as written.
    expect(out).toContain('href="https://x.example/?a=1&amp;b=2"');
    expect(out).toContain('src="https://x.example/p.png?w=1&amp;h=2"');
    expect(out).toContain('alt="A cat"');
  });

  it('neutralizeLive leaves ordinary text alone and breaks every platform sequence', () => {
    expect(neutralizeLive('Save 20% on $5 #1 ~ {x}')).toBe('Save 20% on $5 #1 ~ {x}');
    expect(neutralizeLive('{{a}} {%b%} {#c#} %%d%% ${e} ~~f~~')).toBe(
      '&#123;{a}} &#123;%b%} &#123;#c#} &#37;%d&#37;% &#36;{e} &#126;~f&#126;~',
    );
    expect(neutralizeLive('<script runat="server">x</script><span class="eloquaemail">E</span>')).toBe(
      '&lt;script runat="server">x</script><span class="eloqua_email">E</span>',
    );
  });
});

describe('hub-owned platform code in defaults', () => {
  const P = template(
    mjml(
      `<mj-section hs-module="m"><mj-column>
  <mj-text hs-slot="score" hs-kind="text">Your score: {% platform marketo %}{{lead.Lead Score}}{% endplatform %}{% platform sfmc %}%%=v(@score)=%%{% endplatform %}</mj-text>
  <mj-text hs-slot="body" hs-kind="richText"><p>Hi {% platform braze %}{{\${first_name} | default: 'you'}}{% endplatform %}</p></mj-text>
</mj-column></mj-section>`,
    ),
  );
  const out = async (dialect: Dialect, content: Parameters<typeof draftOf>[2] = { en: {} }) =>
    (await render(P, draftOf(P, ['m'], content), { dialect })).html;

  it('is passed through unchanged to its own dialect only', async () => {
    expect(await out('marketo')).toContain('Your score: {{lead.Lead Score}}</div>');
    expect(await out('sfmc')).toContain('Your score: %%=v(@score)=%%</div>');
    expect(await out('braze')).toContain("<p>Hi {{${first_name} | default: 'you'}}</p>");
    const hubspot = await out('hubspot');
    expect(hubspot).toContain('Your score: </div>');
    expect(hubspot).not.toMatch(/lead\.Lead Score|%%|first_name/);
    expect(await out('preview')).toContain('Your score: </div>');
  });

  it('is never live when a spoke writes it', async () => {
    const email = await render(
      P,
      draftOf(P, ['m'], {
        en: { slots: { m: { score: 'Mine: {% platform marketo %}{{lead.Secret}}{% endplatform %}' } } },
      }),
      { dialect: 'marketo' },
    );
    expect(email.html).not.toContain('{{lead.Secret}}');
    expect(email.diagnostics.map((d) => d.ruleId)).toContain('personalization/syntax');
  });
});
