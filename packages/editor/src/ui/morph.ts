/**
 * Brings a live document to new HTML in place: nodes that did not change stay, so a keystroke
 * in one slot touches one text node instead of reloading a 50 KB email (a reload re-parses,
 * restyles and re-lays out everything, several frames' worth). Children whose shape changed are
 * replaced wholesale.
 */
export function morphDocument(doc: Document, html: string): void {
  const next = new DOMParser().parseFromString(html, 'text/html');
  if (doc.body.childNodes.length === 0 && doc.head.childNodes.length === 0) {
    doc.replaceChild(doc.importNode(next.documentElement, true), doc.documentElement);
    return;
  }
  syncAttributes(doc.documentElement, next.documentElement);
  if (doc.head.innerHTML !== next.head.innerHTML) doc.head.replaceChildren(...importAll(doc, next.head.childNodes));
  morphChildren(doc, doc.body, next.body);
  syncAttributes(doc.body, next.body);
}

function importAll(doc: Document, nodes: NodeListOf<ChildNode>): Node[] {
  return Array.from(nodes, (n) => doc.importNode(n, true));
}

function syncAttributes(live: Element, next: Element): void {
  for (const { name } of Array.from(live.attributes)) if (!next.hasAttribute(name)) live.removeAttribute(name);
  for (const { name, value } of Array.from(next.attributes))
    if (live.getAttribute(name) !== value) live.setAttribute(name, value);
}

function morphChildren(doc: Document, live: Node, next: Node): void {
  const a = live.childNodes;
  const b = next.childNodes;
  if (a.length !== b.length) {
    (live as Element).replaceChildren(...importAll(doc, b));
    return;
  }
  for (let i = 0; i < a.length; i++) {
    const l = a[i];
    const n = b[i];
    if (!l || !n) continue;
    if (l.nodeType !== n.nodeType || l.nodeName !== n.nodeName) {
      l.replaceWith(doc.importNode(n, true));
      continue;
    }
    if (l.nodeType === Node.TEXT_NODE || l.nodeType === Node.COMMENT_NODE) {
      if (l.nodeValue !== n.nodeValue) l.nodeValue = n.nodeValue;
      continue;
    }
    if (l.nodeType === Node.ELEMENT_NODE) {
      syncAttributes(l as Element, n as Element);
      morphChildren(doc, l, n);
    }
  }
}
