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

/** Where the element marked `data-hs-slot="<slot>"` starts and ends in `html`; undefined unless exactly one. */
export function slotRange(html: string, slot: string): { start: number; end: number } | undefined {
  const marker = `data-hs-slot="${slot}"`;
  const at = html.indexOf(marker);
  if (at === -1 || html.includes(marker, at + marker.length)) return undefined;
  const start = html.lastIndexOf('<', at);
  const tag = /^<([a-zA-Z][a-zA-Z0-9]*)[\s>]/.exec(html.slice(start, start + 40))?.[1];
  if (tag === undefined || html.slice(start, at).includes('>')) return undefined;
  // Comments (Outlook's conditional markup among them) are skipped: their tags do not nest.
  const pattern = new RegExp(`<!--[\\s\\S]*?-->|<(/?)${tag}(?=[\\s>/])[^>]*>`, 'gi');
  pattern.lastIndex = start;
  let depth = 0;
  for (let m = pattern.exec(html); m !== null; m = pattern.exec(html)) {
    if (m[0].startsWith('<!--')) continue;
    depth += m[1] === '/' ? -1 : 1;
    if (depth === 0) return { start, end: m.index + m[0].length };
  }
  return undefined;
}

/**
 * The new markup of one slot's element (`instance/slot`) when the new HTML differs from the
 * previous one inside that element alone (a keystroke on the skeleton path); undefined when it
 * cannot tell: the slot's markup is not found exactly once, or something outside it changed too.
 * Worked out once for both preview frames (`applySlot` patches each).
 */
export function slotMarkup(previous: string, next: string, slot: string): string | undefined {
  const a = slotRange(previous, slot);
  const b = slotRange(next, slot);
  if (a === undefined || b === undefined) return undefined;
  if (a.start !== b.start) return undefined;
  if (previous.length - a.end !== next.length - b.end) return undefined;
  if (previous.slice(0, a.start) !== next.slice(0, b.start) || previous.slice(a.end) !== next.slice(b.end))
    return undefined;
  return next.slice(b.start, b.end);
}

/**
 * Patches one slot's element in a live document with its new markup (from `slotMarkup`). Returns
 * false when the document does not have that element exactly once, or the markup is not one
 * element of the same name (the caller morphs the whole document).
 */
export function applySlot(doc: Document, slot: string, markup: string): boolean {
  const live = doc.querySelectorAll(`[data-hs-slot="${slot.replace(/["\\]/g, '\\$&')}"]`);
  const target = live[0];
  if (live.length !== 1 || !target) return false;
  const template = doc.createElement('template');
  template.innerHTML = markup;
  const fresh = template.content.firstElementChild;
  if (!fresh || template.content.childNodes.length !== 1 || fresh.nodeName !== target.nodeName) return false;
  syncAttributes(target, fresh);
  morphChildren(doc, target, fresh);
  return true;
}

/** Patches only one slot's element in a live document when nothing else changed (`slotMarkup`, `applySlot`). */
export function patchSlot(doc: Document, previous: string, next: string, slot: string): boolean {
  const markup = slotMarkup(previous, next, slot);
  return markup !== undefined && applySlot(doc, slot, markup);
}
