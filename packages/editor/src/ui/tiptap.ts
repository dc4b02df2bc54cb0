import { Editor, Extension, Node, mergeAttributes, type AnyExtension, type JSONContent } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import type { Node as PmNode } from '@tiptap/pm/model';
import { pieces } from '../model/tokens.js';

/**
 * A personalization token as one inline, atomic chip: its attribute is the exact neutral
 * source (`{{ contact.firstName | default: "there" }}`), written back verbatim on save. The chip
 * shows a label instead of the braces; it is a focusable button-like span (Enter edits it).
 */
export const Token = Node.create<{ label: (source: string) => string }>({
  name: 'token',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  addOptions() {
    return { label: (source: string) => source };
  },
  addAttributes() {
    return { source: { default: '' } };
  },
  parseHTML() {
    return [{ tag: 'span[data-token]', getAttrs: (el) => ({ source: el.getAttribute('data-token') ?? '' }) }];
  },
  renderHTML({ node, HTMLAttributes }) {
    const source = String(node.attrs.source);
    return [
      'span',
      mergeAttributes(HTMLAttributes, { 'data-token': source, class: 'chip', title: source }),
      this.options.label(source),
    ];
  },
  renderText({ node }) {
    return String(node.attrs.source);
  },
});

/** Tags of a rich-text slot mapped to the StarterKit pieces that produce them; anything else is switched off. */
export function richExtensions(allowed: readonly string[]): AnyExtension[] {
  const has = (...tags: string[]) => tags.some((t) => allowed.includes(t));
  const levels = ([1, 2, 3, 4] as const).filter((n) => allowed.includes(`h${n}`));
  return [
    StarterKit.configure({
      bold: has('strong', 'b') ? {} : false,
      italic: has('em', 'i') ? {} : false,
      underline: has('u') ? {} : false,
      strike: has('s') ? {} : false,
      link: has('a')
        ? {
            openOnClick: false,
            autolink: false,
            protocols: ['https', 'http', 'mailto', 'tel'],
            defaultProtocol: 'https',
          }
        : false,
      bulletList: has('ul') && has('li') ? {} : false,
      orderedList: has('ol') && has('li') ? {} : false,
      listItem: has('li') && has('ul', 'ol') ? {} : false,
      listKeymap: has('li') && has('ul', 'ol') ? {} : false,
      heading: levels.length > 0 ? { levels: [...levels] } : false,
      blockquote: has('blockquote') ? {} : false,
      hardBreak: has('br') ? {} : false,
      code: false,
      codeBlock: false,
      horizontalRule: false,
      dropcursor: false,
      gapcursor: false,
      trailingNode: false,
    }),
  ];
}

/** A plain-text document: paragraphs only (one per line for multi-line slots), text and chips. */
export function plainExtensions(multiline: boolean): AnyExtension[] {
  return [
    StarterKit.configure({
      ...(multiline ? {} : { document: false as const }),
      bold: false,
      italic: false,
      underline: false,
      strike: false,
      link: false,
      bulletList: false,
      orderedList: false,
      listItem: false,
      listKeymap: false,
      heading: false,
      blockquote: false,
      hardBreak: false,
      code: false,
      codeBlock: false,
      horizontalRule: false,
      dropcursor: false,
      gapcursor: false,
      trailingNode: false,
    }),
    ...(multiline
      ? []
      : [
          Node.create({ name: 'doc', topNode: true, content: 'paragraph' }),
          // One line: Enter does nothing (the form's own submit is elsewhere).
          Extension.create({
            name: 'singleLine',
            addKeyboardShortcuts: () => ({ Enter: () => true, 'Shift-Enter': () => true }),
          }),
        ]),
  ];
}

function inline(text: string): JSONContent[] {
  return pieces(text).map((p) =>
    p.kind === 'text' ? { type: 'text', text: p.text } : { type: 'token', attrs: { source: p.source } },
  );
}

/** A text slot's value as a document (lines become paragraphs). */
export function textToDoc(text: string, multiline: boolean): JSONContent {
  const lines = multiline ? text.split(/\r?\n/) : [text.replace(/\r?\n/g, ' ')];
  return {
    type: 'doc',
    content: lines.map((line) => ({ type: 'paragraph', ...(line === '' ? {} : { content: inline(line) }) })),
  };
}

/** The text of a plain document: tokens as their source, paragraphs joined by line breaks. */
export function docToText(doc: PmNode): string {
  const lines: string[] = [];
  doc.forEach((block) => {
    let line = '';
    block.forEach((n) => {
      line += n.type.name === 'token' ? String(n.attrs.source) : (n.text ?? '');
    });
    lines.push(line);
  });
  return lines.join('\n');
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/**
 * Rich text as HTML with only the allowed tags (the schema already holds nothing else) and
 * tokens written back as their neutral source inside the text.
 */
export function docToHtml(doc: PmNode, allowed: readonly string[]): string {
  const tag = (preferred: string, alternative: string) => (allowed.includes(preferred) ? preferred : alternative);
  const paragraphs = allowed.includes('p');
  const inlineHtml = (block: PmNode): string => {
    let out = '';
    block.forEach((n) => {
      if (n.type.name === 'hardBreak') {
        out += '<br />';
        return;
      }
      let html = n.type.name === 'token' ? escapeText(String(n.attrs.source)) : escapeText(n.text ?? '');
      for (const mark of [...n.marks].reverse()) {
        const name = mark.type.name;
        if (name === 'bold') html = `<${tag('strong', 'b')}>${html}</${tag('strong', 'b')}>`;
        else if (name === 'italic') html = `<${tag('em', 'i')}>${html}</${tag('em', 'i')}>`;
        else if (name === 'underline') html = `<u>${html}</u>`;
        else if (name === 'strike') html = `<s>${html}</s>`;
        else if (name === 'link') html = `<a href="${escapeAttr(String(mark.attrs.href ?? ''))}">${html}</a>`;
      }
      out += html;
    });
    return out;
  };
  const block = (n: PmNode): string => {
    switch (n.type.name) {
      case 'paragraph':
        return paragraphs ? `<p>${inlineHtml(n)}</p>` : inlineHtml(n);
      case 'heading':
        return `<h${String(n.attrs.level)}>${inlineHtml(n)}</h${String(n.attrs.level)}>`;
      case 'bulletList':
      case 'orderedList': {
        const name = n.type.name === 'bulletList' ? 'ul' : 'ol';
        let items = '';
        n.forEach((item) => {
          const parts: string[] = [];
          item.forEach((child) => parts.push(child.type.name === 'paragraph' ? inlineHtml(child) : block(child)));
          items += `<li>${parts.join('<br />')}</li>`;
        });
        return `<${name}>${items}</${name}>`;
      }
      case 'blockquote': {
        let inner = '';
        n.forEach((child) => (inner += block(child)));
        return `<blockquote>${inner}</blockquote>`;
      }
      default:
        return inlineHtml(n);
    }
  };
  const blocks: string[] = [];
  doc.forEach((n) => blocks.push(block(n)));
  return paragraphs ? blocks.join('') : blocks.join('<br />');
}

/**
 * Turns tokens typed as text (`{{ contact.firstName }}`) into chips, keeping the caret after
 * what was typed. Returns true when it changed the document.
 */
export function chipTypedTokens(editor: Editor): boolean {
  const { state } = editor;
  const replacements: { from: number; to: number; nodes: PmNode[] }[] = [];
  const token = state.schema.nodes.token;
  if (!token) return false;
  state.doc.descendants((node, pos) => {
    if (!node.isText || node.text === undefined || !/\{[{%]/.test(node.text)) return;
    const parts = pieces(node.text);
    if (!parts.some((p) => p.kind === 'token')) return;
    const nodes = parts.map((p) =>
      p.kind === 'text'
        ? state.schema.text(p.text, node.marks)
        : token.create({ source: p.source }, undefined, node.marks),
    );
    replacements.push({ from: pos, to: pos + node.nodeSize, nodes });
  });
  if (replacements.length === 0) return false;
  const tr = state.tr;
  for (const r of replacements.reverse()) tr.replaceWith(r.from, r.to, r.nodes);
  editor.view.dispatch(tr);
  return true;
}

export { Editor };
