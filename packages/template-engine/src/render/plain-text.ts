import { compile, type HtmlToTextOptions } from 'html-to-text';

/**
 * html-to-text settings for the plain-text part: no wrapping (the text is filled into a
 * skeleton, so line lengths cannot be known in advance), headings and table headers keep their
 * case, images show their alt text, links show their URL in brackets, table rows become lines.
 */
const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  formatters: {
    altText(elem, _walk, builder) {
      const alt = (elem as { attribs?: Record<string, string> }).attribs?.alt ?? '';
      if (alt.trim() !== '') builder.addInline(alt, { noWordTransform: true });
    },
  },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: false, noAnchorUrl: true, linkBrackets: ['[', ']'] } },
    { selector: 'img', format: 'altText' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'td', format: 'inlineSurround', options: { suffix: '  ' } },
    { selector: 'th', format: 'inlineSurround', options: { suffix: '  ' } },
  ],
};

let converter: ((html: string) => string) | undefined;

/** Converts HTML to the plain-text part (one shared, precompiled html-to-text converter). */
export function htmlToPlainText(html: string): string {
  converter ??= compile(OPTIONS);
  return converter(html);
}

/**
 * The plain-text part's final form: at most one blank line between blocks, no blank lines at the
 * ends. A block whose slot is empty then leaves no trace, whether the text was filled into a
 * skeleton or converted whole.
 */
export function tidyPlainText(text: string): string {
  return text.replace(/\n(?:[ \t]*\n){2,}/g, '\n\n').replace(/^\s*\n|\n\s*$/g, '');
}
