/**
 * Marketo segment conditions as Velocity email-script tokens, run in velocityjs (Velocity, which
 * Marketo's email scripts run): each branch prints for a lead that matches it, the else-branch
 * otherwise, and whatever a spoke wrote in a branch prints as the literal text the preview shows.
 */
import { parseTokens, personalizedText, type ContactFields } from '@hubspoke/core';
import { decodeHTML } from 'entities';
import fc from 'fast-check';
import * as velocity from 'velocityjs';
import { describe, expect, it } from 'vitest';
import { lexDialect } from './dialect-lexer.js';
import { resolveFieldMap } from './field-map.js';
import { headerScriptToken, marketoScriptToken, velocityField, type VelocityIssue } from './velocity.js';

const FIELD_MAP = resolveFieldMap();

/** Marketo's EscapeTool (Velocity Tools): `$esc.html` for the characters that matter, `$esc.b`. */
const esc = {
  /** `$esc.b`: a backslash. */
  b: '\\',
  html: (s: unknown) =>
    String(s).replace(
      /[&<>"]/g,
      (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch as '&' | '<' | '>' | '"'],
    ),
};

/** The Velocity `lead` object for a contact in neutral paths (only the fields these tests use). */
function leadOf(contact: ContactFields): Record<string, string> {
  const lead: Record<string, string> = {};
  const names: Record<string, string> = {
    'contact.firstName': 'FirstName',
    'contact.country': 'Country',
    'contact.jobTitle': 'Title',
  };
  for (const [path, name] of Object.entries(names)) {
    const value = contact[path];
    if (value !== undefined && value !== null) lead[name] = String(value);
  }
  return lead;
}

function compile(text: string, context: 'html' | 'text', issues: VelocityIssue[] = []) {
  const node = parseTokens(text).nodes.find((n) => n.type === 'if');
  if (node?.type !== 'if') throw new Error(`no condition in ${text}`);
  return marketoScriptToken(node, context, FIELD_MAP, issues);
}

function run(script: string, contact: ContactFields): string {
  return velocity.render(script, { lead: leadOf(contact), esc });
}

/** What the recipient reads: entities decoded in HTML, the zero-width space that breaks `{{` dropped. */
function seen(script: string, context: 'html' | 'text', contact: ContactFields): string {
  const out = run(script, context === 'html' ? contact : contact);
  return (context === 'html' ? decodeHTML(out) : out).replaceAll('\u200b', '');
}

const DE: ContactFields = { 'contact.firstName': 'Ada', 'contact.country': 'DE' };
const FR: ContactFields = { 'contact.firstName': 'Bo', 'contact.country': 'FR' };
const NOBODY: ContactFields = {};

describe('Marketo conditions as email script tokens', () => {
  it('prints the branch the lead matches, else the else-branch, in HTML and plain text', () => {
    const text =
      '{% if contact.country == "DE" %}Hallo {{ contact.firstName }}{% elsif contact.country == "FR" %}Salut{% else %}Hi {{ contact.firstName | default: "there" }}{% endif %}';
    for (const context of ['html', 'text'] as const) {
      const token = compile(text, context);
      expect(token?.name).toMatch(/^hubspoke_if_[0-9a-f]{12}$/);
      expect(token?.fields).toEqual(['lead.Country', 'lead.FirstName']);
      const script = token?.script ?? '';
      expect(seen(script, context, DE)).toBe('Hallo Ada');
      expect(seen(script, context, FR)).toBe('Salut');
      expect(seen(script, context, { 'contact.country': 'US', 'contact.firstName': 'Cy' })).toBe('Hi Cy');
      expect(seen(script, context, NOBODY)).toBe('Hi there');
    }
  });

  it('tests presence, negation, and/or and nested conditions as the preview does', () => {
    const text =
      '{% if contact.firstName and contact.country != "DE" %}A{% if contact.jobTitle %}T{% else %}-{% endif %}{% elsif not contact.firstName or contact.country == "DE" %}B{% endif %}';
    const token = compile(text, 'html');
    const nodes = parseTokens(text).nodes;
    const contacts: ContactFields[] = [
      DE,
      FR,
      NOBODY,
      { 'contact.firstName': '  ', 'contact.country': 'FR' },
      { 'contact.firstName': 'Eve', 'contact.jobTitle': 'CTO' },
    ];
    for (const c of contacts)
      expect(seen(token?.script ?? '', 'html', c), JSON.stringify(c)).toBe(personalizedText(nodes, c));
  });

  it('names the token after its script: a changed branch is a new token, the same condition the same one', () => {
    const a = compile('{% if contact.country == "DE" %}A{% endif %}', 'html');
    const b = compile('{% if contact.country == "DE" %}B{% endif %}', 'html');
    const a2 = compile('{% if contact.country == "DE" %}A{% endif %}', 'html');
    const aText = compile('{% if contact.country == "DE" %}A{% endif %}', 'text');
    expect(a?.name).toBe(a2?.name);
    expect(a?.name).not.toBe(b?.name);
    expect(a?.name).not.toBe(aText?.name);
  });

  it('refuses a field with no Velocity name: no token, an error naming the field', () => {
    const issues: VelocityIssue[] = [];
    const map = resolveFieldMap({ marketo: { 'contact.tier': 'lead.Customer Tier' } });
    const node = parseTokens('{% if contact.tier == "gold" %}G{% endif %}').nodes[0];
    if (node?.type !== 'if') throw new Error('no condition');
    expect(marketoScriptToken(node, 'html', map, issues)).toBeUndefined();
    expect(issues[0]).toMatchObject({ ruleId: 'personalization/unsupported', severity: 'error' });
    expect(issues[0]?.message).toContain('lead.Customer Tier');
    const unmapped: VelocityIssue[] = [];
    const other = parseTokens('{% if contact.shoeSize == "9" %}G{% endif %}').nodes[0];
    if (other?.type !== 'if') throw new Error('no condition');
    expect(marketoScriptToken(other, 'html', FIELD_MAP, unmapped)).toBeUndefined();
    expect(unmapped[0]?.ruleId).toBe('personalization/unmapped-field');
  });

  it('maps token names to Velocity names', () => {
    expect(velocityField('lead.First Name')).toBe('lead.FirstName');
    expect(velocityField('lead.Email Address')).toBe('lead.Email');
    expect(velocityField('lead.Tier__c')).toBe('lead.Tier__c');
    expect(velocityField('lead.Customer Tier')).toBeUndefined();
    expect(velocityField('my.Token')).toBeUndefined();
  });

  it('keeps control characters of spoke text out of a header field’s token', () => {
    const token = compile('{% if contact.country == "DE" %}a\r\nb\t{% endif %}', 'text');
    if (!token) throw new Error('no token');
    const header = headerScriptToken(token);
    expect(header.name).not.toBe(token.name);
    expect(run(header.script, DE)).toBe('a  b ');
    expect(headerScriptToken(compile('{% if contact.country == "DE" %}ab{% endif %}', 'text') ?? token).name).toBe(
      compile('{% if contact.country == "DE" %}ab{% endif %}', 'text')?.name,
    );
  });
});

/** Every dialect's hostile pieces, and Velocity's own escapes. */
const HOSTILE = [
  '{',
  '}',
  '{{',
  '}}',
  '{%',
  '$',
  '${',
  '$!',
  '$!{',
  '$x',
  '$lead.Country',
  '#',
  '##',
  '#*',
  '*#',
  '#set($a = "b")',
  '#if(',
  '#{else}',
  '#end',
  '#[[',
  ']]#',
  '\\',
  '\\$',
  '\\#',
  "'",
  '"',
  '(',
  ')',
  '.',
  '.trim()',
  '~~',
  '%%',
  '<b>',
  '&amp;',
  '{lead.Email Address}}',
  '{{my.Secret}}',
  'x',
  ' ',
  '\n',
];
const hostile = fc.array(fc.constantFrom(...HOSTILE), { maxLength: 6 }).map((p) => p.join(''));
/** Spoke text for a branch: hostile text beside field tokens (with hostile fallbacks), raw blocks. */
const branch = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: hostile.map((h) => h.replace(/\{%|%\}|\{\{|\}\}/g, (m) => `{% raw %}${m}{% endraw %}`)) },
      { weight: 1, arbitrary: fc.constant('{{ contact.firstName }}') },
      {
        weight: 1,
        arbitrary: fc
          .array(fc.constantFrom('{', '$', '#', '\\', 'x', ' ', '(', '.', '!'), { maxLength: 4 })
          .map((f) => `{{ contact.firstName | default: "${f.join('')}" }}`),
      },
    ),
    { maxLength: 4 },
  )
  .map((p) => p.join(''));

describe('hostile spoke text in a branch (property)', () => {
  it.each(['html', 'text'] as const)(
    '%s: renders in velocityjs as the preview shows it, and only compiler code is live in the script',
    (context) => {
      fc.assert(
        fc.property(branch, branch, fc.constantFrom(DE, FR, NOBODY), (yes, no, contact) => {
          const text = `{% if contact.country == "DE" %}${yes}{% else %}${no}{% endif %}`;
          const parsed = parseTokens(text);
          fc.pre(parsed.errors.length === 0 && parsed.nodes.length === 1);
          const token = compile(text, context);
          if (!token) throw new Error('no token');
          expect(seen(token.script, context, contact)).toBe(personalizedText(parsed.nodes, contact));
          // Every Velocity (and Marketo) construct in the script lies outside the spoke's text.
          for (const c of lexDialect('marketo', token.script))
            for (let i = 0; i + 1 < token.data.length; i += 2)
              expect(
                c.end <= (token.data[i] ?? 0) || c.start >= (token.data[i + 1] ?? 0),
                token.script.slice(c.start, c.end),
              ).toBe(true);
        }),
        { numRuns: 300 },
      );
    },
  );
});
