import type { DraftInput } from '@hubspoke/core';

/** A clean example draft on the announcement template, so `lint` and `render` have work on day one. */
export const exampleDraft: DraftInput = {
  id: 'austin-store-opening',
  name: 'Austin store opening',
  template: { id: 'announcement', version: 1 },
  author: 'jo',
  region: 'NA',
  team: 'austin',
  defaultLocale: 'en-US',
  modules: [
    { instanceId: 'header-1', moduleId: 'header' },
    { instanceId: 'message-1', moduleId: 'message' },
    { instanceId: 'footer-1', moduleId: 'footer' },
  ],
  content: {
    'en-US': {
      subject: '{{ contact.firstName | default: "Friends" }}, our Austin store is open',
      preheader: 'Try on packs and boots at 500 Congress Avenue',
      slots: {
        'message-1': {
          headline: 'Our Austin store is open',
          body: '<p>Come by <strong>500 Congress Avenue</strong> to try on packs and boots. Our staff will fit your pack for free.</p>',
          cta: {
            href: 'https://northwind.example/stores/austin?utm_source=newsletter&utm_medium=email',
            text: 'Plan your visit',
          },
        },
      },
    },
  },
  tags: [],
};
