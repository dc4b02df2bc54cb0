/** Our brand kit, kept as plain data next to the tool (it is validated by the linter). */
export const brandKit = {
  id: 'lumen',
  name: 'Lumen Coffee',
  palette: [
    { name: 'Roast', hex: '#3E2723', role: 'text' },
    { name: 'Crema', hex: '#F5E6D3', role: 'background' },
    { name: 'White', hex: '#FFFFFF', role: 'background' },
    { name: 'Leaf', hex: '#2E7D32', role: 'button' },
  ],
  fonts: [{ family: 'Georgia', fallbacks: ['Times New Roman', 'serif'] }],
  voice: {
    bannedTerms: [{ term: 'cheap', caseSensitive: false, reason: 'Say "great value"' }],
    preferredTerms: [{ use: 'coffee bar', insteadOf: ['cafe', 'café'], caseSensitive: false }],
  },
  links: {
    requireHttps: true,
    allowedDomains: ['lumen.example', '*.lumen.example'],
    requiredUtm: { utm_source: 'newsletter' },
  },
  subjectLine: { maxLength: 50, maxEmoji: 1, maxExclamations: 1 },
};
