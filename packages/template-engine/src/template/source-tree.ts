import { Parser } from 'htmlparser2';

/** An attribute as written: the value is raw source text (entities are not decoded). */
export interface SourceAttr {
  name: string;
  value: string;
}

/** An element of an MJML source, with offsets into that source. */
export interface SourceElement {
  kind: 'element';
  name: string;
  attrs: SourceAttr[];
  children: SourceNode[];
  /** Offset of `<`. */
  start: number;
  /** Offset just after the opening tag's `>`. */
  openEnd: number;
  /** Offset of the closing tag's `<` (equals `end` when there is no closing tag). */
  closeStart: number;
  /** Offset just after the element. */
  end: number;
  selfClosing: boolean;
  /** Inside the HTML content of an MJML ending tag such as `mj-text`. */
  inEnding: boolean;
  parent: SourceElement | undefined;
}

/** Text, comments or CDATA: kept as the raw slice `[start, end)`. */
export interface SourceText {
  kind: 'text';
  start: number;
  end: number;
}

export type SourceNode = SourceElement | SourceText;

export interface SourceIssue {
  message: string;
  start: number;
  end: number;
}

export interface SourceTree {
  source: string;
  /** Top-level nodes (normally one `<mjml>` element). */
  nodes: SourceNode[];
  issues: SourceIssue[];
}

/** MJML components whose content is raw HTML (mjml-preset-core's `endingTag` components). */
export const ENDING_TAGS: ReadonlySet<string> = new Set([
  'mj-breakpoint',
  'mj-preview',
  'mj-style',
  'mj-title',
  'mj-button',
  'mj-raw',
  'mj-text',
  'mj-table',
  'mj-social-element',
  'mj-navbar-link',
  'mj-accordion-text',
  'mj-accordion-title',
  'mj-carousel-image',
]);

const VOID_HTML = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/**
 * Parses MJML (and the HTML inside its ending tags) with the same htmlparser2 settings mjml uses,
 * keeping offsets so the source can be re-emitted slice by slice. Reports elements that are never
 * closed and closing tags that match nothing: htmlparser2 would silently repair both.
 */
export function parseSourceTree(source: string): SourceTree {
  const nodes: SourceNode[] = [];
  const issues: SourceIssue[] = [];
  const closeTags = new Set<number>();
  const comments: [number, number][] = [];
  let current: SourceElement | undefined;
  let endingDepth = 0;

  const append = (node: SourceNode) => {
    if (current) current.children.push(node);
    else nodes.push(node);
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const element: SourceElement = {
          kind: 'element',
          name,
          attrs: Object.entries(attribs).map(([n, value]) => ({ name: n, value })),
          children: [],
          start: parser.startIndex,
          openEnd: parser.endIndex + 1,
          closeStart: parser.endIndex + 1,
          end: parser.endIndex + 1,
          selfClosing: false,
          inEnding: endingDepth > 0,
          parent: current,
        };
        append(element);
        current = element;
        if (ENDING_TAGS.has(name)) endingDepth += 1;
      },
      onclosetag(name, implied) {
        const element = current;
        if (!element) return;
        if (ENDING_TAGS.has(name)) endingDepth -= 1;
        current = element.parent;
        if (implied && parser.startIndex === element.start) {
          // `<x />` or a void HTML element: no closing tag.
          element.selfClosing = source[parser.endIndex - 1] === '/';
          element.closeStart = element.openEnd;
          element.end = element.openEnd;
          return;
        }
        if (implied) {
          const needsClose = !element.inEnding || !VOID_HTML.has(name);
          if (needsClose && (name.startsWith('mj') || element.attrs.some((a) => a.name.startsWith('hs-')))) {
            issues.push({ message: `<${name}> is never closed`, start: element.start, end: element.openEnd });
          }
          element.closeStart = parser.startIndex;
          element.end = parser.startIndex;
          return;
        }
        element.closeStart = parser.startIndex;
        element.end = parser.endIndex + 1;
        closeTags.add(parser.startIndex);
      },
      ontext() {
        append({ kind: 'text', start: parser.startIndex, end: parser.endIndex + 1 });
      },
      oncomment() {
        comments.push([parser.startIndex, parser.endIndex + 1]);
        append({ kind: 'text', start: parser.startIndex, end: parser.endIndex + 1 });
      },
    },
    {
      recognizeCDATA: true,
      decodeEntities: false,
      recognizeSelfClosing: true,
      lowerCaseAttributeNames: false,
      lowerCaseTags: false,
    },
  );
  parser.write(source);
  parser.end();

  // Closing tags htmlparser2 dropped because nothing matched them.
  for (const match of source.matchAll(/<\/([A-Za-z][\w-]*)\s*>/g)) {
    const at = match.index;
    if (closeTags.has(at) || comments.some(([s, e]) => at >= s && at < e)) continue;
    if (isInsideRawText(nodes, at)) continue;
    issues.push({ message: `</${match[1] ?? ''}> closes nothing`, start: at, end: at + match[0].length });
  }
  return { source, nodes, issues };
}

/** True when `offset` lies inside text content (e.g. CSS in `mj-style`), where `</x>` is just text. */
function isInsideRawText(nodes: SourceNode[], offset: number): boolean {
  for (const node of nodes) {
    if (offset < node.start || offset >= node.end) continue;
    if (node.kind === 'text') return true;
    return isInsideRawText(node.children, offset);
  }
  return false;
}

export function attr(element: SourceElement, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

export function childElements(element: SourceElement): SourceElement[] {
  return element.children.filter((c): c is SourceElement => c.kind === 'element');
}

/** 1-based line and column of an offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Walks every element depth-first, parents before children. */
export function* walkElements(nodes: SourceNode[]): Generator<SourceElement> {
  for (const node of nodes) {
    if (node.kind !== 'element') continue;
    yield node;
    yield* walkElements(node.children);
  }
}
