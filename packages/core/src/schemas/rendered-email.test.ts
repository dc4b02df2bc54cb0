import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHubspokeError } from '../errors/hubspoke-error.js';
import { eloquaDynamicContentPlaceholder } from '../public-functions.js';
import { EloquaDynamicContentSchema, RenderedEmailSchema } from './rendered-email.js';

const NAME = 'hubspoke_dc_0123456789ab';
const DC = {
  name: NAME,
  rules: [
    {
      criteria: [
        { field: 'Tier1', operator: 'equal', value: 'gold' },
        { field: 'Country1', operator: 'notBlank' },
      ],
      statement: '1 AND (2)',
      html: '<b>Gold</b>',
    },
  ],
  defaultHtml: 'Guest',
};

describe('Eloqua dynamic contents on a rendered email', () => {
  it('accepts a definition and carries it on the email', () => {
    expect(EloquaDynamicContentSchema.parse(DC)).toEqual(DC);
    const email = {
      draftId: 'd1',
      draftVersion: 1,
      template: { id: 't1', version: 1 },
      locale: 'en',
      dialect: 'eloqua',
      subject: 's',
      preheader: '',
      html: eloquaDynamicContentPlaceholder(NAME),
      text: '',
      bytes: 1,
      contentHash: '0'.repeat(64),
      dynamicContents: [DC],
    };
    expect(RenderedEmailSchema.parse(email).dynamicContents).toEqual([DC]);
  });

  it.each([
    ['a name that is not hubspoke_dc_ and 12 hex digits', { ...DC, name: 'x"><script>' }],
    [
      'a field that is not an Eloqua reference',
      { ...DC, rules: [{ ...DC.rules[0], criteria: [{ field: '</span>', operator: 'blank' }] }] },
    ],
    ['an unknown operator', { ...DC, rules: [{ ...DC.rules[0], criteria: [{ field: 'A', operator: 'contains' }] }] }],
    [
      'a statement with anything but positions, AND, OR and parentheses',
      { ...DC, rules: [{ ...DC.rules[0], statement: '1; DROP' }] },
    ],
    ['no rule', { ...DC, rules: [] }],
    ['an unknown property', { ...DC, extra: 1 }],
  ])('refuses %s', (_what, value) => {
    expect(EloquaDynamicContentSchema.safeParse(value).success).toBe(false);
  });

  it('writes the placeholder element Eloqua reads as a dynamic content reference', () => {
    expect(eloquaDynamicContentPlaceholder(NAME)).toBe(`<span elqid="${NAME}" elqtype="DynamicContent"></span>`);
  });

  it('refuses any other name with E_VALIDATION (nothing else reaches the attribute)', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        fc.pre(!/^hubspoke_dc_[0-9a-f]{12}$/.test(name));
        try {
          eloquaDynamicContentPlaceholder(name);
          return false;
        } catch (error) {
          return isHubspokeError(error, 'E_VALIDATION');
        }
      }),
      { numRuns: 100 },
    );
  });
});
