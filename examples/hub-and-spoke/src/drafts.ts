import type { DraftInput } from '@hubspoke/core';

const utm = 'utm_source=newsletter&utm_medium=email';

/**
 * Lena in Berlin: the spring newsletter in German, with the members' offer (a pricing claim)
 * added to the template's arrangement and the German imprint in the footer.
 */
export const berlinDraft: DraftInput = {
  id: 'berlin-spring',
  name: 'Berlin spring newsletter',
  template: { id: 'seasonal-newsletter', version: 1 },
  author: 'lena',
  region: 'EMEA',
  team: 'berlin',
  defaultLocale: 'de-DE',
  modules: [
    { instanceId: 'header-1', moduleId: 'header' },
    { instanceId: 'hero-1', moduleId: 'hero' },
    { instanceId: 'intro-1', moduleId: 'intro' },
    { instanceId: 'feature-1', moduleId: 'feature' },
    { instanceId: 'offer-1', moduleId: 'offer' },
    { instanceId: 'closing-1', moduleId: 'closing' },
    { instanceId: 'footer-1', moduleId: 'footer' },
  ],
  content: {
    'de-DE': {
      subject: 'Frühling auf dem Trail, {{ contact.firstName | default: "Wanderfreunde" }}',
      preheader: 'Neue Ausrüstung für längere Tage draußen',
      slots: {
        'hero-1': {
          image: {
            src: 'https://cdn.northwind.example/assets/hero-spring.jpg',
            alt: 'Wandernde auf einem Frühlingsweg',
            assetId: 'hero-spring',
          },
          headline: 'Der Frühling ist auf dem Trail',
          subline: 'Neue Ausrüstung für längere Tage draußen.',
          cta: { href: `https://northwind.example/de/fruehling?${utm}`, text: 'Zur Frühlingskollektion' },
        },
        'intro-1': {
          greeting: 'Hallo {{ contact.firstName | default: "zusammen" }},',
          body: '<p>Die Tage werden länger und die Wege auch. Das ist neu in dieser Saison.</p>',
        },
        'feature-1': {
          photo: {
            src: 'https://cdn.northwind.example/assets/tent-alpine.jpg',
            alt: 'Das Zelt Alpine 2 in der Abenddämmerung',
            assetId: 'tent-alpine',
          },
          title: 'Zelt Alpine 2',
          summary: 'Zwei Personen, ein Kilo, vier Jahreszeiten.',
          link: { href: `https://northwind.example/de/zelte/alpine-2?${utm}`, text: 'Zum Zelt Alpine 2' },
        },
        'offer-1': {
          headline: 'Mitglieder sparen 15 % im Mai',
          price: 'Ab 189 €',
          terms: 'Mitgliederpreise gelten bis 31. Mai.',
          cta: { href: `https://northwind.example/de/mitglieder?${utm}`, text: 'Mitglied werden' },
        },
        'closing-1': {
          heading: 'Wir sehen uns draußen',
          cta: { href: `https://northwind.example/de/filialen?${utm}`, text: 'Filiale in Ihrer Nähe finden' },
        },
        'footer-1': { address: 'Northwind Trails GmbH · Torstraße 1 · 10119 Berlin · HRB 123456 B' },
      },
    },
  },
  tags: [],
};

/**
 * Jo in Austin: the template's own arrangement, English copy only — and four mistakes a busy
 * spoke makes: an off-palette colour, a banned word, a photo without alt text, an http link.
 */
export const austinDraft: DraftInput = {
  id: 'austin-spring',
  name: 'Austin spring newsletter',
  template: { id: 'seasonal-newsletter', version: 1 },
  author: 'jo',
  region: 'NA',
  team: 'austin',
  defaultLocale: 'en-US',
  modules: [
    { instanceId: 'header-1', moduleId: 'header' },
    { instanceId: 'hero-1', moduleId: 'hero' },
    { instanceId: 'intro-1', moduleId: 'intro' },
    { instanceId: 'feature-1', moduleId: 'feature' },
    { instanceId: 'quote-1', moduleId: 'quote' },
    { instanceId: 'closing-1', moduleId: 'closing' },
    { instanceId: 'footer-1', moduleId: 'footer' },
  ],
  content: {
    'en-US': {
      subject: 'Spring trail gear is here, {{ contact.firstName | default: "friend" }}',
      preheader: 'New packs and tents for longer days outside',
      slots: {
        'hero-1': {
          headline: 'Cheap gear for spring trails',
          subline: 'Packs, tents and boots for longer days outside.',
          cta: { href: 'http://northwind.example/spring', text: 'Shop spring gear' },
        },
        'intro-1': {
          body: '<p>Austin, the Greenbelt is calling. Here is what is new in our store this spring.</p>',
        },
        'feature-1': {
          photo: { src: 'https://cdn.northwind.example/austin/ridge-trail-boots.jpg', alt: '' },
          title: 'Ridge trail boots',
          summary: 'Waterproof, light, and broken in after one hike.',
          link: { href: `https://northwind.example/boots/ridge?${utm}`, text: 'See the Ridge trail boots' },
        },
        'closing-1': { background: '#FF6600', heading: 'See you on the Greenbelt' },
      },
    },
  },
  tags: [],
};
