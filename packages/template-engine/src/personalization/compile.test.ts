import type { Dialect } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import {
  Sink,
  compileInto,
  compileNodes,
  type CompileIssue,
  type ContactFields,
  type OutputContext,
} from './compile.js';
import { escapeHtml, escapeText, normalizeUrl, checkUrl } from './escape.js';
import { resolveFieldMap } from './field-map.js';
import { parseTokens } from '@hubspoke/core';

const fieldMap = resolveFieldMap({
  eloqua: { 'contact.firstName': 'FirstName1', 'contact.tier': 'Tier1' },
  hubspot: { 'contact.tier': 'contact.tier' },
  sfmc: { 'contact.tier': 'Tier' },
  braze: { 'contact.tier': 'custom_attribute.${tier}' },
});

function compile(source: string, dialect: Dialect, context: OutputContext = 'html', contact?: ContactFields) {
  const issues: CompileIssue[] = [];
  const parsed = parseTokens(source);
  expect(parsed.errors).toEqual([]);
  return { out: compileNodes(parsed.nodes, context, { dialect, fieldMap, contact }, issues), issues };
}

const FIELD = 'Hi {{ contact.firstName }}!';
const FALLBACK = 'Hi {{ contact.firstName | default: "there" }}!';
const UNSAFE_FALLBACK = 'Hi {{ contact.firstName | default: "<b>{friend}</b>" }}!';
const CONDITION = '{% if contact.tier == "gold" %}Gold{% elsif contact.tier %}Member{% else %}Guest{% endif %}';

describe('compileNodes per dialect', () => {
  it.each<[Dialect, string, string, string]>([
    ['marketo', 'Hi {{lead.First Name}}!', 'Hi {{lead.First Name:default=there}}!', 'Hi {{lead.First Name}}!'],
    [
      'eloqua',
      'Hi <span class="eloquaemail">FirstName1</span>!',
      'Hi <span class="eloquaemail">FirstName1</span>!',
      'Hi <span class="eloquaemail">FirstName1</span>!',
    ],
    [
      'sfmc',
      "Hi %%=AttributeValue('FirstName')=%%!",
      "Hi %%[IF Empty(AttributeValue('FirstName')) THEN]%%there%%[ELSE]%%%%=AttributeValue('FirstName')=%%%%[ENDIF]%%!",
      "Hi %%[IF Empty(AttributeValue('FirstName')) THEN]%%&lt;b&gt;&#123;friend&#125;&lt;/b&gt;%%[ELSE]%%%%=AttributeValue('FirstName')=%%%%[ENDIF]%%!",
    ],
    [
      'hubspot',
      'Hi {{ contact.firstname|escape }}!',
      "Hi {{ personalization_token('contact.firstname', 'there')|escape }}!",
      'Hi {% if contact.firstname %}{{ contact.firstname|escape }}{% else %}&lt;b&gt;&#123;friend&#125;&lt;/b&gt;{% endif %}!',
    ],
    [
      'braze',
      'Hi {{ ${first_name} | escape }}!',
      "Hi {{ ${first_name} | default: 'there' | escape }}!",
      'Hi {% if ${first_name} == blank %}&lt;b&gt;&#123;friend&#125;&lt;/b&gt;{% else %}{{ ${first_name} | escape }}{% endif %}!',
    ],
  ])('%s: field, safe fallback, unsafe fallback (HTML)', (dialect, field, fallback, unsafe) => {
    expect(compile(FIELD, dialect).out).toBe(field);
    expect(compile(FALLBACK, dialect).out).toBe(fallback);
    expect(compile(UNSAFE_FALLBACK, dialect).out).toBe(unsafe);
  });

  it('drops the HTML escape filter in plain-text contexts', () => {
    expect(compile(FIELD, 'hubspot', 'text').out).toBe('Hi {{ contact.firstname }}!');
    expect(compile(FALLBACK, 'braze', 'text').out).toBe("Hi {{ ${first_name} | default: 'there' }}!");
    expect(compile(UNSAFE_FALLBACK, 'hubspot', 'text').out).toBe(
      'Hi {% if contact.firstname %}{{ contact.firstname }}{% else %}<b>{friend}</b>{% endif %}!',
    );
    expect(compile('{{ contact.firstName | default: "{%x%}" }}', 'hubspot', 'text').out).toBe(
      '{% if contact.firstname %}{{ contact.firstname }}{% else %}{{ "{" }}%x%}{% endif %}',
    );
  });

  it.each<[Dialect, string]>([
    [
      'sfmc',
      "%%[IF AttributeValue('Tier') == 'gold' THEN]%%Gold%%[ELSEIF NOT Empty(AttributeValue('Tier')) THEN]%%Member%%[ELSE]%%Guest%%[ENDIF]%%",
    ],
    ['hubspot', "{% if contact.tier == 'gold' %}Gold{% elif contact.tier %}Member{% else %}Guest{% endif %}"],
    [
      'braze',
      "{% if custom_attribute.${tier} == 'gold' %}Gold{% elsif custom_attribute.${tier} != blank %}Member{% else %}Guest{% endif %}",
    ],
  ])('%s: conditions', (dialect, expected) => {
    expect(compile(CONDITION, dialect).out).toBe(expected);
  });

  it('compiles and/or/not per dialect', () => {
    const src = '{% if contact.tier == "gold" and not contact.firstName %}x{% endif %}';
    expect(compile(src, 'sfmc').out).toBe(
      "%%[IF (AttributeValue('Tier') == 'gold') AND (Empty(AttributeValue('FirstName'))) THEN]%%x%%[ENDIF]%%",
    );
    expect(compile(src, 'hubspot').out).toBe("{% if contact.tier == 'gold' and not contact.firstname %}x{% endif %}");
    expect(compile('{% if contact.tier == 3 or contact.firstName %}x{% endif %}', 'braze').out).toBe(
      '{% if custom_attribute.${tier} == 3 or ${first_name} != blank %}x{% endif %}',
    );
  });

  it('marketo: a condition is a Velocity email script token; one on a field without a Velocity name is E_UNSUPPORTED', () => {
    const map = resolveFieldMap({ marketo: { 'contact.tier': 'lead.Tier__c' } });
    const issues: CompileIssue[] = [];
    const sink = new Sink();
    compileInto(
      sink,
      parseTokens(`Start ${CONDITION} end`).nodes,
      'html',
      { dialect: 'marketo', fieldMap: map },
      issues,
    );
    const [token] = sink.scripts;
    expect(issues).toEqual([]);
    expect(sink.text).toBe(`Start {{my.${token?.name ?? ''}}} end`);
    expect(token?.script).toBe(
      `#set($hubspokeF0 = "$!{lead.Tier__c}")#if($hubspokeF0 == 'gold')Gold#elseif($hubspokeF0.trim() != '')Member#{else}Guest#{end}`,
    );
    // Without a Velocity name (spaces, not a known field): the else content, and an error at the construct.
    const { out, issues: refused } = compile(`Start ${CONDITION} end`, 'marketo');
    expect(out).toBe('Start Guest end');
    expect(refused).toEqual([
      expect.objectContaining({ ruleId: 'personalization/unmapped-field', severity: 'error', start: 6 }),
    ]);
  });

  it('eloqua: a condition in HTML is a dynamic content placeholder; in plain text or an attribute it is E_UNSUPPORTED and the else content is emitted', () => {
    const issues: CompileIssue[] = [];
    const sink = new Sink();
    compileInto(sink, parseTokens(`Start ${CONDITION} end`).nodes, 'html', { dialect: 'eloqua', fieldMap }, issues);
    const [dc] = sink.dynamicContents;
    expect(issues).toEqual([]);
    expect(sink.text).toBe(`Start <span elqid="${dc?.name ?? ''}" elqtype="DynamicContent"></span> end`);
    expect(dc).toMatchObject({
      rules: [
        { criteria: [{ field: 'Tier1', operator: 'equal', value: 'gold' }], statement: '1', html: 'Gold' },
        { criteria: [{ field: 'Tier1', operator: 'notBlank' }], statement: '1', html: 'Member' },
      ],
      defaultHtml: 'Guest',
    });
    for (const context of ['text', 'attr'] as const) {
      const { out, issues: refused } = compile(`Start ${CONDITION} end`, 'eloqua', context);
      expect(out).toBe('Start Guest end');
      expect(refused).toEqual([
        expect.objectContaining({
          ruleId: 'personalization/unsupported',
          severity: 'error',
          start: 6,
          end: 6 + CONDITION.length,
          data: expect.objectContaining({ code: 'E_UNSUPPORTED', dialect: 'eloqua', construct: 'condition' }),
        }),
      ]);
    }
  });

  it('reports what a platform cannot carry instead of dropping it', () => {
    const marketo = compile(UNSAFE_FALLBACK, 'marketo');
    expect(marketo.issues[0]).toMatchObject({ ruleId: 'personalization/unsupported', data: { construct: 'fallback' } });
    const eloqua = compile(FALLBACK, 'eloqua');
    expect(eloqua.issues[0]).toMatchObject({ severity: 'warning', data: { construct: 'fallback' } });
    const subject = compile(FALLBACK, 'eloqua', 'text');
    expect(subject.out).toBe('Hi there!');
    expect(subject.issues[0]).toMatchObject({ severity: 'error', data: { construct: 'merge-outside-html' } });
    const title = compile(FIELD, 'eloqua', 'attr');
    expect(title.out).toBe('Hi !');
    expect(title.issues).toHaveLength(1);
  });

  it('reports unmapped fields and renders the fallback or the else branch', () => {
    const field = compile('{{ contact.shoeSize | default: "n/a" }}', 'hubspot');
    expect(field.out).toBe('n/a');
    expect(field.issues[0]).toMatchObject({
      ruleId: 'personalization/unmapped-field',
      severity: 'error',
      data: { field: 'contact.shoeSize' },
    });
    const condition = compile('{% if contact.shoeSize == "42" %}big{% else %}any{% endif %}', 'braze');
    expect(condition.out).toBe('any');
    expect(condition.issues[0]?.ruleId).toBe('personalization/unmapped-field');
  });

  it('previews with sample data: values escaped, fallbacks for empty fields, conditions evaluated', () => {
    const contact = { 'contact.firstName': '<Ann>', 'contact.tier': 'silver' };
    expect(compile(FALLBACK, 'preview', 'html', contact).out).toBe('Hi &lt;Ann&gt;!');
    expect(compile(FALLBACK, 'preview', 'text', contact).out).toBe('Hi <Ann>!');
    expect(compile(FALLBACK, 'preview', 'html', { 'contact.firstName': '   ' }).out).toBe('Hi there!');
    expect(compile(FALLBACK, 'preview', 'html').out).toBe('Hi there!');
    expect(compile(CONDITION, 'preview', 'html', contact).out).toBe('Member');
    expect(compile(CONDITION, 'preview', 'html', { 'contact.tier': 'gold' }).out).toBe('Gold');
    expect(compile(CONDITION, 'preview', 'html', {}).out).toBe('Guest');
  });
});

describe('escaping', () => {
  it('escapes every platform syntax character in HTML', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>{{x}} {%y%} %%z%% \${v} #set ~~e~~ \`</a> &`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&#123;&#123;x&#125;&#125; &#123;&#37;y&#37;&#125; &#37;&#37;z&#37;&#37; &#36;&#123;v&#125; &#35;set &#126;&#126;e&#126;&#126; &#96;&lt;/a&gt; &amp;',
    );
  });

  it('makes plain text inert per dialect', () => {
    expect(escapeText('{{a}} {%b%} {#c#} {d', 'hubspot').text).toBe(
      '{{ "{" }}{a}} {{ "{" }}%b%} {{ "{" }}#c{{ "#" }}} {d',
    );
    expect(escapeText('50%% off {{x}} <script runat=server>', 'sfmc').text).toBe(
      '50%%=Char(37)=%%%%=Char(37)=%% off %%=Char(123)=%%{x}} %%=Char(60)=%%script runat=server>',
    );
    expect(escapeText('{{lead.x}} ${y}', 'marketo')).toEqual({
      text: '{\u200b{lead.x}} $\u200b{y}',
      broken: true,
      code: [],
    });
    expect(escapeText('~~eloqua..x~~', 'eloqua')).toEqual({
      text: '~\u200b~eloqua..x~\u200b~',
      broken: true,
      code: [],
    });
    expect(escapeText('plain', 'marketo')).toEqual({ text: 'plain', broken: false, code: [] });
  });

  it('normalizes URLs so no dialect sees syntax in them', () => {
    expect(normalizeUrl('https://x.example/a b?q={{x}}&p=%%y%%&r=${z}#f~g')).toBe(
      'https://x.example/a%20b?q=%7B%7Bx%7D%7D&p=%25%25y%25%25&r=%24%7Bz%7D#f%7Eg',
    );
    expect(normalizeUrl('https://x.example/%20ok%2')).toBe('https://x.example/%20ok%252');
    expect(normalizeUrl('https://x.example/ünï')).toBe('https://x.example/%C3%BCn%C3%AF');
  });

  it.each([
    ['javascript:alert(1)', false],
    ['java\nscript:alert(1)', false],
    [' JAVASCRIPT:alert(1)', false],
    ['data:text/html,<script>', false],
    ['vbscript:x', false],
    ['//evil.example', false],
    ['/relative', false],
    ['https://', false],
    ['https://ok.example/\u0000', false],
    ['https://ok.example/path', true],
    ['mailto:a@b.example', true],
    ['tel:+4912345', true],
  ])('checkUrl(%j).ok = %s', (url, ok) => {
    expect(checkUrl(url).ok).toBe(ok);
  });
});

describe('resolveFieldMap', () => {
  it('layers config over the defaults', () => {
    const map = resolveFieldMap({ marketo: { 'contact.firstName': 'lead.Preferred Name' } });
    expect(map.marketo['contact.firstName']).toBe('lead.Preferred Name');
    expect(map.marketo['contact.lastName']).toBe('lead.Last Name');
    expect(map.eloqua).toEqual({});
  });

  it.each([
    [{ marketo: { 'contact.a': 'lead.X}}{{my.secret' } }, 'fieldMap.marketo["contact.a"]'],
    [{ sfmc: { 'contact.a': 'X") %%[ Redirect' } }, 'fieldMap.sfmc["contact.a"]'],
    [{ hubspot: { 'contact.a': 'contact.x }}{% raw' } }, 'fieldMap.hubspot["contact.a"]'],
    [{ braze: { 'contact.a': '${x}} {% connected_content' } }, 'fieldMap.braze["contact.a"]'],
    [{ eloqua: { 'contact.a': '</span><script>' } }, 'fieldMap.eloqua["contact.a"]'],
    [{ hubspot: { 'not a path': 'contact.x' } }, 'fieldMap.hubspot'],
  ])('rejects a field reference that would be code: %j', (map, path) => {
    expect(() => resolveFieldMap(map)).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: expect.stringContaining(path) }),
    );
  });
});
