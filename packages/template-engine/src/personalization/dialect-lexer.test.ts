import type { Dialect } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONSTRUCT_CLASSES, lexDialect, type ConstructClass } from './dialect-lexer.js';

const lexed = (dialect: Dialect, text: string) =>
  lexDialect(dialect, text).map((c) => [c.kind, text.slice(c.start, c.end)] as [ConstructClass, string]);

describe('dialect lexers on the platforms’ documented examples', () => {
  it('Marketo: tokens, variables and Velocity (script tokens)', () => {
    // Marketo tokens and Email 2.0 variables (experienceleague tokens-overview, email-template-syntax).
    expect(lexed('marketo', 'Hi {{lead.First Name:default=edit me}}, {{my.Token}} ${heroTitle}')).toEqual([
      ['marketo-token', '{{lead.First Name:default=edit me}}'],
      ['marketo-token', '{{my.Token}}'],
      ['marketo-variable', '${heroTitle}'],
    ]);
    // Velocity as in Marketo's email scripting help: #set, references, quiet references, #if/#end, comments.
    expect(
      lexed(
        'marketo',
        '#set($x = "v")\n$x ${x} $!x $!{lead.FirstName} #if($x == "v")y#elseif(1)#else z#end ## note\n#* a *# #[[raw]]#',
      ),
    ).toEqual([
      ['velocity-directive', '#set('],
      ['velocity-reference', '$x'],
      ['velocity-reference', '$x'],
      ['marketo-variable', '${x}'],
      ['velocity-reference', '$!x'],
      ['velocity-reference', '$!{lead.FirstName}'],
      ['velocity-directive', '#if('],
      ['velocity-reference', '$x'],
      ['velocity-directive', '#elseif('],
      ['velocity-directive', '#else'],
      ['velocity-directive', '#end'],
      ['velocity-comment', '## note'],
      ['velocity-comment', '#* a *#'],
      ['velocity-unparsed', '#[[raw]]#'],
    ]);
    // Prices, hashtags, colours and fragments are not Velocity.
    expect(lexed('marketo', 'Save $5 on #1 picks #Summer #fff #endorsements')).toEqual([]);
  });

  it('Eloqua: field merge spans, URL markers and elq attributes', () => {
    expect(
      lexed(
        'eloqua',
        '<p>Hi <span class="eloquaemail">FirstName1</span>, <a href="https://x.example/?e=~~eloqua..type--emailfield..syntax--EmailAddress..innerText--EmailAddress..encodeFor--url~~" elqTrack="true">x</a></p>',
      ),
    ).toEqual([
      ['eloqua-merge', '<span class="eloquaemail">'],
      ['eloqua-marker', '~~eloqua..type--emailfield..syntax--EmailAddress..innerText--EmailAddress..encodeFor--url~~'],
      ['eloqua-attribute', 'elqTrack='],
    ]);
    expect(lexed('eloqua', 'mail ~~eloqua..type--emailfield..syntax--EmailAddress~~ <span class=x>')).toEqual([
      ['eloqua-marker', '~~eloqua..type--emailfield..syntax--EmailAddress~~'],
    ]);
  });

  it('SFMC: AMPscript inline, block and attribute forms, server script, GTL', () => {
    expect(
      lexed(
        'sfmc',
        'Hi %%=v(@x)=%% %%[ SET @a = AttributeValue("FirstName") ]%% %%FirstName%% <script runat="server" language="ampscript">x</script> {{ gtl }} {{{ raw }}} 50% off',
      ),
    ).toEqual([
      ['ampscript-inline', '%%=v(@x)=%%'],
      ['ampscript-block', '%%[ SET @a = AttributeValue("FirstName") ]%%'],
      ['ampscript-attribute', '%%FirstName%%'],
      ['server-script', '<script runat="server" language="ampscript">x</script>'],
      ['gtl', '{{ gtl }}'],
      ['gtl', '{{{ raw }}}'],
    ]);
  });

  it('HubL: expressions, statements (raw blocks whole) and comments', () => {
    expect(
      lexed(
        'hubspot',
        '{{ personalization_token("contact.firstname", "there") }} {% if contact.firstname %}x{% endif %} {# note #} {% raw %}{{ shown }}{% endraw %}',
      ),
    ).toEqual([
      ['hubl-expression', '{{ personalization_token("contact.firstname", "there") }}'],
      ['hubl-statement', '{% if contact.firstname %}'],
      ['hubl-statement', '{% endif %}'],
      ['hubl-comment', '{# note #}'],
      ['hubl-statement', '{% raw %}{{ shown }}{% endraw %}'],
    ]);
  });

  it('Braze Liquid: outputs and tags with ${…} attributes', () => {
    expect(
      lexed(
        'braze',
        "{{${first_name}}} {{ ${first_name} | default: 'Valued User' }} {% if ${country} == 'DE' %}x{% elsif a %}{% endif %} {% connected_content https://x.example :save r %} {# not a comment in Liquid #}",
      ),
    ).toEqual([
      ['liquid-output', '{{${first_name}}'],
      ['liquid-output', "{{ ${first_name} | default: 'Valued User' }}"],
      ['liquid-tag', "{% if ${country} == 'DE' %}"],
      ['liquid-tag', '{% elsif a %}'],
      ['liquid-tag', '{% endif %}'],
      ['liquid-tag', '{% connected_content https://x.example :save r %}'],
    ]);
  });

  it('an unclosed construct runs to the end; preview has none', () => {
    expect(lexed('hubspot', 'a {{ b')).toEqual([['hubl-expression', '{{ b']]);
    expect(lexed('sfmc', 'a %%[ b')).toEqual([['ampscript-block', '%%[ b']]);
    expect(lexed('preview', '{{ x }} %%y%% ~~z~~')).toEqual([]);
  });

  it('lists its classes per dialect, and finds only those', () => {
    expect(Object.keys(CONSTRUCT_CLASSES).sort()).toEqual(['braze', 'eloqua', 'hubspot', 'marketo', 'preview', 'sfmc']);
    const alphabet = fc.constantFrom(
      ...'{}%$#~<>[]=!*-/ "\'\nabcspanelqscriptrunatserver'.split(''),
      '{{',
      '}}',
      '{%',
      '%}',
      '%%',
      '~~',
      '${',
      '#set(',
      '<span class="eloquaemail">',
      '<script runat=server>',
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('')),
        fc.constantFrom<Dialect>('marketo', 'eloqua', 'sfmc', 'hubspot', 'braze'),
        (text, dialect) => {
          let end = 0;
          for (const c of lexDialect(dialect, text)) {
            expect(CONSTRUCT_CLASSES[dialect]).toContain(c.kind);
            expect(c.start).toBeGreaterThanOrEqual(end);
            expect(c.end).toBeGreaterThan(c.start);
            expect(c.end).toBeLessThanOrEqual(text.length);
            end = c.end;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('lexDialect as a public function', () => {
  it('answers bad input with E_VALIDATION, never a TypeError', () => {
    expect(() => lexDialect('mailchimp' as never, 'x')).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'dialect' }),
    );
    expect(() => lexDialect('braze', null as never)).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'text' }),
    );
  });
});
