import {
  can,
  countDiagnostics,
  hybrid,
  isHubspokeError,
  jsonSchemaFor,
  parseBrandKit,
  safeParseAs,
  type Diagnostic,
  type Principal,
} from '@hubspoke/core';

/** What the tour found, so the test can check it and main.ts can print it. */
export interface TourReport {
  brandKit: { name: string; colours: number; bannedTerms: number };
  validationError: { code: string; message: string };
  decisions: { who: string; action: string; on: string; allowed: boolean; why: string }[];
  diagnostics: ReturnType<typeof countDiagnostics>;
  schemaProperties: string[];
}

const hqBrandKit = {
  id: 'acme',
  name: 'Acme Outdoor',
  palette: [
    { name: 'Summit Blue', hex: '#0B5FFF', role: 'primary' },
    { name: 'Granite', hex: '#1F2933', role: 'text' },
    { name: 'Snow', hex: '#FFFFFF', role: 'background' },
  ],
  voice: {
    bannedTerms: [{ term: 'cheap', caseSensitive: false, reason: 'We are affordable, not cheap' }],
    preferredTerms: [{ use: 'sign in', insteadOf: ['log in'], caseSensitive: false }],
  },
  links: {
    requireHttps: true,
    allowedDomains: ['acme.example'],
    requiredUtm: { utm_source: 'email', utm_medium: 'newsletter' },
  },
};

const lena: Principal = {
  id: 'lena',
  name: 'Lena (Berlin spoke)',
  roles: ['spoke-marketer'],
  regions: ['EMEA'],
  teams: ['berlin'],
  groups: [],
};
const ravi: Principal = {
  id: 'ravi',
  name: 'Ravi (EMEA regional manager)',
  roles: ['regional-manager'],
  regions: ['EMEA'],
  teams: [],
  groups: [],
};
const bea: Principal = {
  id: 'bea',
  name: 'Bea (HQ brand manager)',
  roles: ['brand-manager'],
  regions: [],
  teams: [],
  groups: [],
};

export function runTour(): TourReport {
  const kit = parseBrandKit(hqBrandKit);

  // A spoke pastes a colour name where a hex code belongs: the error names the exact path.
  const typo = safeParseAs('brandKit', {
    ...hqBrandKit,
    palette: [...hqBrandKit.palette, { name: 'Alert', hex: 'red' }],
  });
  if (typo.ok || !isHubspokeError(typo.error)) throw new Error('expected the typo to be rejected');

  const berlinDraft = { region: 'EMEA', ownerId: 'lena' };
  const asks: [Principal, Parameters<typeof can>[2], string][] = [
    [lena, 'draft.create', 'a Berlin draft'],
    [lena, 'submission.decide', 'her own Berlin draft'],
    [ravi, 'submission.decide', 'the Berlin draft'],
    [bea, 'template.publish', 'the newsletter template'],
    [lena, 'template.publish', 'the newsletter template'],
  ];
  const decisions = asks.map(([p, action, on]) => {
    const d = can(hybrid, p, action, action.startsWith('template') ? {} : berlinDraft);
    return {
      who: p.name ?? p.id,
      action,
      on,
      allowed: d.allowed,
      why: d.allowed ? `granted by ${d.roleId} (${d.scope})` : d.reason,
    };
  });

  const findings: Diagnostic[] = [
    {
      ruleId: 'brand/banned-term',
      severity: 'error',
      message: '"cheap" is not on brand',
      location: { locale: 'en-US', instanceId: 'hero-1', slotId: 'headline' },
    },
    {
      ruleId: 'brand/preferred-term',
      severity: 'warning',
      message: 'Say "sign in", not "log in"',
      location: { locale: 'en-US', instanceId: 'cta-1', slotId: 'button' },
    },
  ];

  const schema = jsonSchemaFor('brandKit');
  return {
    brandKit: { name: kit.name, colours: kit.palette.length, bannedTerms: kit.voice.bannedTerms.length },
    validationError: { code: typo.error.code, message: typo.error.message },
    decisions,
    diagnostics: countDiagnostics(findings),
    schemaProperties: Object.keys(schema.properties ?? {}),
  };
}
