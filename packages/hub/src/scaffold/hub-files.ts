import type { BrandKitInput, HubspokeConfigInput, OkrSetInput, PrincipalInput, WorkflowDefInput } from '@hubspoke/core';

// The hub `hubspoke init` scaffolds: Northwind Trails, an outdoor-gear brand with spokes in
// Berlin (EMEA) and Austin (NA). Every other command runs on these files unchanged.

export const brandKit: BrandKitInput = {
  id: 'northwind',
  name: 'Northwind Trails',
  palette: [
    { name: 'Trail Green', hex: '#1B5E3F', role: 'primary' },
    { name: 'Summit Blue', hex: '#0B5CAD', role: 'link' },
    { name: 'Granite', hex: '#1F2933', role: 'text' },
    { name: 'Slate', hex: '#52606D', role: 'neutral' },
    { name: 'Snow', hex: '#FFFFFF', role: 'background' },
    { name: 'Mist', hex: '#F4F6F8', role: 'background' },
    { name: 'Ember', hex: '#B93D0C', role: 'accent' },
  ],
  fonts: [{ family: 'Inter', fallbacks: ['Helvetica', 'Arial', 'sans-serif'], role: 'any' }],
  typography: { minFontSizePx: 13 },
  logos: [
    {
      id: 'main',
      url: 'https://cdn.northwind.example/brand/logo.png',
      alt: 'Northwind Trails',
      minWidth: 100,
      maxWidth: 180,
    },
  ],
  voice: {
    bannedTerms: [
      { term: 'cheap', caseSensitive: false, reason: 'We are good value, never cheap' },
      { term: 'guaranteed', caseSensitive: false, reason: 'A legal claim: only with legal approval' },
      { term: 'billig', caseSensitive: false, reason: 'Wir sind preiswert, nie billig', locales: ['de-DE', 'de-AT'] },
    ],
    preferredTerms: [
      { use: 'sign in', insteadOf: ['log in', 'login'], caseSensitive: false, locales: ['en-US', 'en-GB'] },
      { use: 'email', insteadOf: ['e-mail'], caseSensitive: false, locales: ['en-US', 'en-GB'] },
      { use: 'Northwind Trails', insteadOf: ['NorthWind Trails', 'Northwind trails'], caseSensitive: true },
    ],
    maxReadingGrade: { 'en-US': 10 },
  },
  legal: [
    { id: 'imprint-de', text: 'Northwind Trails GmbH', regions: ['EMEA'], placement: 'footer' },
    { id: 'address-us', text: 'Northwind Trails Inc.', regions: ['NA'], placement: 'footer' },
  ],
  links: {
    requireHttps: true,
    allowedDomains: ['northwind.example', '*.northwind.example'],
    requiredUtm: { utm_source: 'newsletter', utm_medium: 'email' },
  },
  images: { requireAlt: true, libraryOnly: false },
  subjectLine: {
    maxLength: 60,
    maxEmoji: 1,
    maxExclamations: 1,
    allowAllCaps: false,
    spamTerms: ['free money', 'act now', '100% free'],
  },
  assets: [
    {
      id: 'hero-spring',
      url: 'https://cdn.northwind.example/assets/hero-spring.jpg',
      kind: 'image',
      tags: ['hero', 'spring'],
      altText: { '*': 'Hikers on a spring trail', 'de-DE': 'Wandernde auf einem Frühlingsweg' },
      licensedRegions: ['*'],
      expiresOn: '2027-12-31',
    },
    {
      id: 'tent-alpine',
      url: 'https://cdn.northwind.example/assets/tent-alpine.jpg',
      kind: 'image',
      tags: ['product'],
      altText: { '*': 'The Alpine 2 tent at dusk' },
      licensedRegions: ['EMEA', 'NA'],
      expiresOn: '2027-06-30',
    },
    {
      id: 'pack-summit',
      url: 'https://cdn.northwind.example/assets/pack-summit.jpg',
      kind: 'image',
      tags: ['product'],
      altText: { '*': 'Summit 30 backpack' },
      licensedRegions: ['NA'],
    },
  ],
};

export const workflow: WorkflowDefInput = {
  id: 'campaign-review',
  version: 1,
  name: 'Campaign review',
  description:
    'Brand review unless only editable text changed and lint is clean; legal for pricing, legal claims or a new locale; then the regional manager.',
  stages: [
    {
      id: 'brand',
      name: 'Brand review',
      reviewers: [{ role: 'brand-manager' }],
      completion: { rule: 'any' },
      activation: { on: 'submit' },
      when: {
        not: {
          all: [
            { fact: 'change.touchedLockLevels', op: 'onlyContains', value: ['editable'] },
            { fact: 'change.structural', op: 'eq', value: false },
            { fact: 'lint.errors', op: 'eq', value: 0 },
          ],
        },
      },
      due: { after: 'P2D', reminders: ['-PT4H', 'PT0S'], escalation: { after: 'P1D', toRole: 'hub-admin' } },
    },
    {
      id: 'legal',
      name: 'Legal review',
      reviewers: [{ role: 'legal-reviewer' }],
      activation: { on: 'approved', of: ['brand'] },
      when: {
        any: [
          { fact: 'tags', op: 'containsAny', value: ['pricing', 'legal-claim'] },
          { fact: 'newLocales', op: 'notEmpty' },
        ],
      },
      due: { after: 'P3D', reminders: ['-P1D', 'PT0S', 'PT8H'], escalation: { after: 'P1D', toRole: 'hub-admin' } },
      allowReject: true,
    },
    {
      id: 'regional',
      name: 'Regional sign-off',
      reviewers: [{ role: 'regional-manager', region: 'submission' }],
      completion: { rule: 'any' },
      activation: { on: 'approved', of: ['legal'] },
      lockOnComplete: true,
    },
  ],
  restartFrom: 'requesting',
  overrideRoles: ['hub-admin'],
  forceApproveRoles: ['hub-admin'],
  blockOnErrors: true,
};

export const principals: PrincipalInput[] = [
  { id: 'hana', name: 'Hana Okafor (HQ admin)', email: 'hana@northwind.example', roles: ['hub-admin'] },
  { id: 'bea', name: 'Bea Lindqvist (HQ brand)', email: 'bea@northwind.example', roles: ['brand-manager'] },
  { id: 'lee', name: 'Lee Park (HQ legal)', email: 'lee@northwind.example', roles: ['legal-reviewer'] },
  { id: 'ana', name: 'Ana Ruiz (HQ analytics)', email: 'ana@northwind.example', roles: ['analyst'] },
  {
    id: 'lena',
    name: 'Lena Vogel (Berlin)',
    email: 'lena@berlin.northwind.example',
    roles: ['spoke-marketer'],
    regions: ['EMEA'],
    teams: ['berlin'],
  },
  {
    id: 'ravi',
    name: 'Ravi Shah (EMEA manager)',
    email: 'ravi@northwind.example',
    roles: ['regional-manager'],
    regions: ['EMEA'],
    teams: ['berlin'],
  },
  {
    id: 'jo',
    name: 'Jo Carter (Austin)',
    email: 'jo@austin.northwind.example',
    roles: ['spoke-marketer'],
    regions: ['NA'],
    teams: ['austin'],
  },
  {
    id: 'sam',
    name: 'Sam Diaz (NA manager)',
    email: 'sam@northwind.example',
    roles: ['regional-manager'],
    regions: ['NA'],
    teams: ['austin'],
  },
];

export const okrs: OkrSetInput = {
  id: 'fy26-q2',
  name: 'Q2 2026',
  objectives: [
    {
      id: 'emea-engagement',
      title: 'Berlin subscribers love our emails',
      owners: [{ team: 'berlin', region: 'EMEA' }],
      period: { start: '2026-04-01', end: '2026-06-30' },
      type: 'aspirational',
      alignsTo: ['on-brand-everywhere'],
      keyResults: [
        {
          id: 'emea-ctr',
          title: 'EMEA click-through rate to 3.5%',
          kind: 'increase',
          baseline: 2.4,
          target: 3.5,
          unit: '%',
          indicator: 'leading',
          drives: ['emea-revenue'],
          binding: { kpi: 'clickThroughRate', filters: { region: 'EMEA' } },
        },
        {
          id: 'emea-revenue',
          title: 'EMEA email revenue to €60k',
          kind: 'increase',
          baseline: 0,
          target: 60000,
          unit: 'EUR',
          indicator: 'lagging',
          binding: { kpi: 'revenue', filters: { region: 'EMEA' } },
        },
        {
          id: 'emea-unsub',
          title: 'Keep EMEA unsubscribes at or below 0.3%',
          kind: 'decrease',
          baseline: 0.5,
          target: 0.3,
          unit: '%',
          indicator: 'leading',
          binding: { kpi: 'unsubscribeRate', filters: { region: 'EMEA' } },
        },
      ],
    },
    {
      id: 'na-growth',
      title: 'Austin turns email into sales',
      owners: [{ team: 'austin', region: 'NA' }],
      period: { start: '2026-04-01', end: '2026-06-30' },
      type: 'committed',
      alignsTo: ['on-brand-everywhere'],
      keyResults: [
        {
          id: 'na-ctr',
          title: 'NA click-through rate to 4%',
          kind: 'increase',
          baseline: 3,
          target: 4,
          unit: '%',
          indicator: 'leading',
          drives: ['na-conversion'],
          binding: { kpi: 'clickThroughRate', filters: { region: 'NA' } },
        },
        {
          id: 'na-conversion',
          title: 'NA conversion rate to 1.2%',
          kind: 'increase',
          baseline: 0.6,
          target: 1.2,
          unit: '%',
          indicator: 'lagging',
          binding: { kpi: 'conversionRate', filters: { region: 'NA' } },
        },
        {
          id: 'na-roi',
          title: 'NA email ROI to 8×',
          kind: 'increase',
          baseline: 4,
          target: 8,
          unit: 'x',
          indicator: 'lagging',
          binding: { kpi: 'roi', filters: { region: 'NA' } },
        },
      ],
    },
    {
      id: 'on-brand-everywhere',
      title: 'Every spoke email is on brand, the same day',
      owners: [{ team: 'hq-brand' }, { team: 'berlin', region: 'EMEA' }, { team: 'austin', region: 'NA' }],
      period: { start: '2026-04-01', end: '2026-06-30' },
      type: 'committed',
      keyResults: [
        {
          id: 'deliverability',
          title: 'Keep delivery rate between 97% and 100%',
          kind: 'maintain',
          band: { min: 97, max: 100 },
          unit: '%',
          indicator: 'leading',
          binding: { kpi: 'deliveryRate', filters: {} },
        },
        {
          id: 'templates-live',
          title: 'Ship the spring template family',
          kind: 'milestone',
          milestones: [
            { id: 'design', title: 'Design approved' },
            { id: 'build', title: 'Modules built' },
            { id: 'rollout', title: 'Rolled out to all spokes' },
          ],
          indicator: 'leading',
        },
        {
          id: 'regional-rollup',
          title: 'Regional objectives on track',
          kind: 'rollup',
          children: [
            { ref: 'emea-engagement', type: 'objective', weight: 1 },
            { ref: 'na-growth', type: 'objective', weight: 1 },
          ],
          indicator: 'lagging',
        },
      ],
    },
  ],
};

export const config: HubspokeConfigInput = {
  $schema: './schemas/hubspoke-config.json',
  brandKit: 'brand/brand-kit.json',
  templates: 'templates',
  drafts: 'drafts',
  workflow: 'workflow.json',
  operatingModel: 'hybrid',
  okrs: 'okrs.json',
  fieldMap: {
    marketo: { 'contact.firstName': 'lead.First Name', 'contact.city': 'lead.City', 'contact.vip': 'lead.VIP' },
    eloqua: { 'contact.firstName': 'FirstName', 'contact.city': 'City', 'contact.vip': 'VIP' },
    sfmc: { 'contact.firstName': 'FirstName', 'contact.city': 'City', 'contact.vip': 'VIP' },
    hubspot: { 'contact.firstName': 'contact.firstname', 'contact.city': 'contact.city', 'contact.vip': 'contact.vip' },
    braze: {
      'contact.firstName': '${first_name}',
      'contact.city': '${home_city}',
      'contact.vip': 'custom_attribute.${vip}',
    },
  },
  sampleContacts: [
    {
      id: 'anna',
      label: 'Anna, Berlin (VIP)',
      fields: { 'contact.firstName': 'Anna', 'contact.city': 'Berlin', 'contact.vip': true },
    },
    {
      id: 'marcus',
      label: 'Marcus, Austin',
      fields: { 'contact.firstName': 'Marcus', 'contact.city': 'Austin', 'contact.vip': false },
    },
    {
      id: 'nobody',
      label: 'No first name',
      fields: { 'contact.firstName': null, 'contact.city': null, 'contact.vip': false },
    },
  ],
  principals,
  connectors: {
    fs: { use: 'fs', config: { outDir: 'out/export' } },
    marketo: {
      use: 'marketo',
      config: {
        baseUrl: '${MARKETO_BASE_URL}',
        clientId: '${MARKETO_CLIENT_ID}',
        clientSecret: '${MARKETO_CLIENT_SECRET}',
        emailFolderId: 1017,
        templateFolderId: 15,
      },
    },
    slack: { use: 'slack', config: { webhookUrl: '${SLACK_WEBHOOK_URL}' } },
    // Test sends to the seed lists below, through any SMTP server (push --test-send … --test-connector smtp).
    smtp: { use: 'smtp', config: { host: '${SMTP_HOST}', from: 'Northwind QA <qa@northwind.example>' } },
  },
  defaultConnector: 'fs',
  testSends: {
    allowedDomains: ['northwind.example'],
    seedLists: {
      'na-qa': { region: 'NA', recipients: ['qa@northwind.example'] },
      'emea-qa': { region: 'EMEA', recipients: ['qa@northwind.example'] },
    },
  },
  outDir: 'out',
};

/** One week of send results for the hub's two regions, as an ESP export gives them: raw counts only. */
export const sampleMetricsCsv =
  [
    'campaignId,date,region,locale,team,sent,delivered,hardBounces,softBounces,uniqueOpens,totalOpens,uniqueClicks,totalClicks,unsubscribes,conversions,revenue,cost,currency',
    'austin-store-opening,2026-04-07,NA,en-US,austin,10000,9800,120,80,4000,6000,400,520,35,90,9000,1000,USD',
    'berlin-spring,2026-04-07,EMEA,de-DE,berlin,8000,7900,60,40,3000,4500,240,300,30,40,4200,900,EUR',
  ].join('\n') + '\n';
