// One lock table, three libraries: shows what the template engine, the brand linter and assist
// each say about every property of a small draft whose module is `textOnly`.
import { BrandKitSchema, DraftSchema, TemplateSchema } from '@hubspoke/core';
import { lockVerdicts } from './agreement.js';

const template = TemplateSchema.parse({
  id: 'promo',
  version: 1,
  name: 'Promo',
  modules: [
    {
      id: 'hero',
      name: 'Hero',
      lock: 'textOnly',
      mjml: '<mj-section><mj-column><mj-image hs-slot="pic" src="https://cdn.example.com/a.png" /><mj-button hs-slot="cta" href="https://example.com/sale">Shop</mj-button></mj-column></mj-section>',
      slots: [
        { id: 'pic', kind: 'image', default: { src: 'https://cdn.example.com/a.png', alt: 'Tulips' } },
        { id: 'cta', kind: 'link', default: { href: 'https://example.com/sale', text: 'Shop' } },
      ],
    },
  ],
});
const draft = DraftSchema.parse({
  id: 'berlin',
  name: 'Berlin promo',
  template: { id: 'promo', version: 1 },
  author: 'lena@example.com',
  defaultLocale: 'de',
  modules: [{ instanceId: 'hero-1', moduleId: 'hero' }],
  content: {
    de: {
      slots: {
        'hero-1': {
          pic: { src: 'https://cdn.example.com/b.png', alt: 'Tulpen' },
          cta: { href: 'https://example.com/sale', text: 'Jetzt kaufen' },
        },
      },
    },
  },
});
const kit = BrandKitSchema.parse({ id: 'acme', name: 'Acme', palette: [{ name: 'Ink', hex: '#112233' }] });

const yes = (b: boolean | undefined) => (b === undefined ? '-' : b ? 'yes' : 'no');
console.log('slot property            editable  engine  linter  assist offers');
for (const v of lockVerdicts(template, draft, kit))
  console.log(
    `${v.key.padEnd(24)} ${yes(v.editable).padEnd(9)} ${yes(v.engine).padEnd(7)} ${yes(v.linter).padEnd(7)} ${yes(v.assist)}`,
  );
