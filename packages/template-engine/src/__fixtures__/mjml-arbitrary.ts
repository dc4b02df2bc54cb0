import fc from 'fast-check';

/**
 * Arbitrary MJML emails shaped like real ones and like a formatter leaves them: closing tags with
 * whitespace before `>`, attributes on their own lines, comments anywhere (also directly in
 * mj-body), Outlook conditional comments, entities, mj-raw, mj-attributes/mj-class and inline
 * mj-style. With `declare`, top-level blocks get hs-module and some content gets hs-slot, so the
 * same email is also a hub template.
 */

interface Layout {
  /** Attributes on their own lines. */
  attrBreaks: boolean;
  /** Whitespace before the `>` of opening and closing tags. */
  tagBreaks: boolean;
  /** `<x />` rather than `<x></x>` for empty elements. */
  selfClose: boolean;
}

const layout: fc.Arbitrary<Layout> = fc.record({
  attrBreaks: fc.boolean(),
  tagBreaks: fc.boolean(),
  selfClose: fc.boolean(),
});

interface Node {
  name: string;
  attrs: [string, string][];
  /** Child elements, or raw content for ending tags. */
  children?: (Node | string)[];
  content?: string;
  slot?: 'text' | 'richText' | 'link' | 'image';
}

function open(n: Node, l: Layout, extra: [string, string][]): string {
  const attrs = [...n.attrs, ...extra];
  const sep = l.attrBreaks ? '\n    ' : ' ';
  const text = attrs.map(([k, v]) => `${sep}${k}="${v}"`).join('');
  return `<${n.name}${text}${l.tagBreaks ? '\n  ' : ''}`;
}

function close(name: string, l: Layout): string {
  return `</${name}${l.tagBreaks ? '\n  ' : ''}>`;
}

function print(n: Node | string, l: Layout, declare: boolean, slots: { next: number }): string {
  if (typeof n === 'string') return n;
  const extra: [string, string][] = [];
  if (declare && n.slot) extra.push(['hs-slot', `s${slots.next++}`], ['hs-kind', n.slot]);
  const head = open(n, l, extra);
  if (n.content !== undefined) return `${head}>${n.content}${close(n.name, l)}`;
  const children = n.children ?? [];
  if (children.length === 0) return l.selfClose ? `${head} />` : `${head}>${close(n.name, l)}`;
  return `${head}>\n${children.map((c) => print(c, l, declare, slots)).join('\n')}\n${close(n.name, l)}`;
}

const words = fc.constantFrom(
  'Spring sale',
  'Spring&nbsp;sale',
  'Tom &amp; Jerry',
  '&copy; 2026 Northwind',
  'It&#8217;s here',
  'Save 20% today',
  'Only $19.99',
  'Our #1 pick',
  'a &lt; b',
  'Grüße aus Köln',
  'Read   more\n      below',
);

const comment = fc.constantFrom(
  '<!-- note -->',
  '<!--[if mso]><span>Outlook only</span><![endif]-->',
  '<!-- Section -->',
);

/** HTML inside mj-text as authors and formatters write it. */
const richContent = fc
  .array(
    fc.oneof(
      words.map((w) => `<p style="margin:0;color:#333333;">${w}</p>`),
      words.map((w) => `<h1 style="font-size:28px">${w}</h1\n      >`),
      words.map((w) => `<a href="https://x.example/?a=1&amp;b=2" style="color:#0b5cad">${w}</a\n      >`),
      words.map((w) => `<span class="hl">${w}</span><br />`),
      words.map((w) => `<!--[if !mso]><!--><strong>${w}</strong><!--<![endif]-->`),
      comment,
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((parts) => parts.join('\n      '));

const text: fc.Arbitrary<Node> = fc
  .tuple(fc.boolean(), words, richContent, fc.boolean(), fc.boolean())
  .map(([plain, w, rich, styled, slot]) => ({
    name: 'mj-text',
    attrs: styled
      ? [
          ['mj-class', 'blue'],
          ['css-class', 'hl'],
          ['padding', '10px 25px'],
        ]
      : [['align', 'left']],
    content: plain ? w : `\n      ${rich}\n    `,
    ...(slot && { slot: plain ? 'text' : 'richText' }),
  }));

const button: fc.Arbitrary<Node> = fc.tuple(words, fc.boolean()).map(([w, slot]) => ({
  name: 'mj-button',
  attrs: [
    ['href', 'https://x.example/go?utm_source=mail&amp;id=1'],
    ['background-color', '#0b5cad'],
  ],
  content: w,
  ...(slot && { slot: 'link' }),
}));

const image: fc.Arbitrary<Node> = fc.tuple(fc.boolean(), fc.boolean()).map(([alt, slot]) => ({
  name: 'mj-image',
  attrs: [
    ['src', 'https://cdn.x.example/img/hero.png'],
    ...(alt ? [['alt', 'A team &amp; a whiteboard'] as [string, string]] : []),
    ['width', '200px'],
  ],
  ...(slot && { slot: 'image' }),
}));

const misc: fc.Arbitrary<Node | string> = fc.oneof(
  fc.constant<Node>({ name: 'mj-divider', attrs: [['border-color', '#dddddd']] }),
  fc.constant<Node>({ name: 'mj-spacer', attrs: [['height', '12px']] }),
  fc.constant<Node>({ name: 'mj-raw', attrs: [], content: '<div style="font-size:0">&nbsp;</div>' }),
  comment,
);

const content: fc.Arbitrary<Node | string> = fc.oneof({ weight: 3, arbitrary: text }, button, image, misc);

const column: fc.Arbitrary<Node> = fc
  .array(content, { minLength: 1, maxLength: 3 })
  .map((children) => ({ name: 'mj-column', attrs: [], children }));

const section: fc.Arbitrary<Node> = fc
  .tuple(fc.array(fc.oneof({ weight: 4, arbitrary: column }, comment), { minLength: 1, maxLength: 3 }), fc.boolean())
  .filter(([children]) => children.some((c) => typeof c !== 'string'))
  .map(([children, bg]) => ({
    name: 'mj-section',
    attrs: bg ? [['background-color', '#f4f6f8']] : [],
    children,
  }));

const wrapper: fc.Arbitrary<Node> = fc.array(section, { minLength: 1, maxLength: 2 }).map((children) => ({
  name: 'mj-wrapper',
  attrs: [['padding', '0px']],
  children,
}));

const hero: fc.Arbitrary<Node> = fc.array(fc.oneof(text, button), { minLength: 1, maxLength: 2 }).map((children) => ({
  name: 'mj-hero',
  attrs: [
    ['mode', 'fluid-height'],
    ['background-url', 'https://cdn.x.example/img/bg.jpg'],
    ['background-color', '#1a1a1a'],
  ],
  children,
}));

/** Raw HTML and comments between sections (mjml merges Outlook conditionals across them). */
const glue = fc.constantFrom(
  '<!-- spacer -->',
  '<mj-raw><!--[if mso | IE]><table role="presentation"><tr><td><![endif]--></mj-raw>',
  '<mj-raw><!--[if mso | IE]></td></tr></table><![endif]--></mj-raw>',
  '<mj-raw><p style="display:none">Raw &amp; hidden</p></mj-raw>',
);

const head = fc.record({
  title: fc.option(fc.constantFrom('Spring news', 'Tom &amp; Jerry’s sale', 'It&#8217;s here'), { nil: undefined }),
  preview: fc.option(fc.constantFrom('Three ideas', 'Save&nbsp;20%'), { nil: undefined }),
  inlineStyle: fc.boolean(),
  comment: fc.boolean(),
});

export interface ArbitraryEmail {
  /** The email as written (no hs-*). */
  source: string;
  /** The same email declared as a hub template: hs-id, hs-module on every block, some hs-slot. */
  template: string;
}

export function arbitraryEmail(): fc.Arbitrary<ArbitraryEmail> {
  return fc
    .record({
      head,
      blocks: fc.array(
        fc.tuple(fc.option(glue, { nil: undefined }), fc.oneof({ weight: 4, arbitrary: section }, wrapper, hero)),
        { minLength: 1, maxLength: 4 },
      ),
      trailing: fc.option(glue, { nil: undefined }),
      layout,
      width: fc.boolean(),
    })
    .map((e) => {
      const write = (declare: boolean) => {
        const slots = { next: 0 };
        const headParts = [
          e.head.title === undefined ? '' : `<mj-title>${e.head.title}</mj-title>`,
          e.head.preview === undefined ? '' : `<mj-preview>${e.head.preview}</mj-preview>`,
          '<mj-attributes>\n  <mj-all font-family="Arial, sans-serif" />\n  <mj-text font-size="15px" />\n  <mj-class name="blue" color="#0b5cad" />\n</mj-attributes>',
          e.head.inlineStyle
            ? '<mj-style inline="inline">.hl { font-weight: bold; }</mj-style>'
            : '<mj-style>.hl { font-weight: bold; }</mj-style>',
          e.head.comment ? '<!-- head comment -->' : '',
        ].filter((p) => p !== '');
        const body = e.blocks
          .map(([g, block], i) => {
            const element = print(
              { ...block, attrs: declare ? [['hs-module', `m${i}`], ...block.attrs] : block.attrs },
              e.layout,
              declare,
              slots,
            );
            return g === undefined ? element : `${g}\n${element}`;
          })
          .join('\n');
        const root = declare ? '<mjml hs-id="t">' : '<mjml>';
        const bodyOpen = e.width ? '<mj-body width="600px" background-color="#ffffff">' : '<mj-body>';
        return `${root}\n<mj-head>\n${headParts.join('\n')}\n</mj-head>\n${bodyOpen}\n${body}${e.trailing === undefined ? '' : `\n${e.trailing}`}\n</mj-body>\n</mjml>\n`;
      };
      return { source: write(false), template: write(true) };
    });
}
