import { HubspokeError, type Draft } from '@hubspoke/core';
import { loadMjml, MJML_OPTIONS } from '../mjml/load.js';
import { emitMjml, emitTextView, type HoleRef } from './emit.js';
import { htmlToPlainText, tidyPlainText } from './plain-text.js';
import type { Structure } from './structure.js';
import { applyDarkScheme, type DarkScheme } from './dark-mode.js';
import { utf8Length } from './utf8.js';

/** Output split around its holes: `chunks.length === holes.length + 1`. */
export interface Split {
  chunks: string[];
  /** UTF-8 size of each chunk, so a filled email's size is a sum, not a scan. */
  chunkBytes: number[];
  holes: HoleRef[];
}

/** One compiled structure: the mjml HTML and the plain text, each with holes for slot values. */
export interface Skeleton {
  key: string;
  html: Split;
  text: Split;
  /** Wall time of the mjml compile, for diagnostics and benchmarks. */
  compileMs: number;
}

/** Placeholders are letters and digits only, so neither mjml, juice nor html-to-text alter them. */
const PREFIX = `hsph${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(12)), (b) =>
  String.fromCharCode(97 + (b % 26)),
).join('')}x`;
const PLACEHOLDER = new RegExp(`${PREFIX}(\\d+)z`, 'g');

function registry(): { holes: HoleRef[]; write: (ref: HoleRef) => string } {
  const holes: HoleRef[] = [];
  return {
    holes,
    write: (ref) => `${PREFIX}${holes.push(ref) - 1}z`,
  };
}

function split(output: string, holes: HoleRef[]): Split {
  const chunks: string[] = [];
  const order: HoleRef[] = [];
  let last = 0;
  for (const m of output.matchAll(PLACEHOLDER)) {
    const ref = holes[Number(m[1])];
    if (!ref) continue;
    chunks.push(output.slice(last, m.index));
    order.push(ref);
    last = m.index + m[0].length;
  }
  chunks.push(output.slice(last));
  return { chunks, chunkBytes: chunks.map(utf8Length), holes: order };
}

const darkened = new WeakMap<Skeleton, Map<string, Skeleton>>();

/**
 * A skeleton's HTML in its dark-mode form; the plain text is unchanged. Colour-slot holes stay
 * holes, but the class their element gets depends on their value, given by `colorOf` (memoized
 * per skeleton, scheme and those values: a colour edit re-derives it).
 */
export function darkSkeleton(skeleton: Skeleton, scheme: DarkScheme, colorOf: (ref: HoleRef) => string): Skeleton {
  const { chunks, holes } = skeleton.html;
  const colors = holes.map((ref) => (ref.kind === 'slot' && ref.property === 'color' ? colorOf(ref) : undefined));
  const key = `${scheme.key}|${colors.join(',')}`;
  let byKey = darkened.get(skeleton);
  if (!byKey) darkened.set(skeleton, (byKey = new Map<string, Skeleton>()));
  let dark = byKey.get(key);
  if (!dark) {
    let joined = chunks[0] ?? '';
    for (let i = 0; i < holes.length; i += 1) joined += `${PREFIX}${i}z${chunks[i + 1] ?? ''}`;
    const valueOf = (value: string) =>
      value.includes(PREFIX) ? value.replace(PLACEHOLDER, (_, n: string) => colors[Number(n)] ?? '') : value;
    dark = {
      ...skeleton,
      key: `${skeleton.key}|dark:${key}`,
      html: split(applyDarkScheme(joined, scheme, valueOf), holes),
    };
    if (byKey.size >= 8) byKey.delete(byKey.keys().next().value ?? key);
    byKey.set(key, dark);
  }
  return dark;
}

/** Plain-text parts between modules: one blank line. */
const MODULE_BREAK = '\n\n';

/** Plain-text skeletons per module instance, shared by every structure that holds the same instance. */
const textParts = new Map<string, Split>();

function instanceTextKey(structure: Structure, index: number): string {
  const instance = structure.instances[index];
  if (!instance) return '';
  let key = `${structure.compiled.hash}|${instance.module.def.id}`;
  for (const [slotId, f] of instance.fixed) {
    key += `;${slotId}=${f.visible === undefined ? '' : String(f.visible)},${f.list ?? ''},${f.asWritten ?? ''}`;
    if (f.rich)
      for (const p of f.rich) key += typeof p === 'string' ? p : `\u0000${p.token.start}:${p.token.end}\u0000`;
  }
  return key;
}

/** One instance's plain-text skeleton; its holes carry index 0 and are re-pointed by `textSkeleton`. */
function instanceText(structure: Structure, index: number): Split {
  const key = instanceTextKey(structure, index);
  let part = textParts.get(key);
  if (!part) {
    const text = registry();
    part = split(
      htmlToPlainText(
        emitTextView(structure, index, (ref) => text.write(ref.kind === 'field' ? ref : { ...ref, index: 0 })),
      ),
      text.holes,
    );
    if (textParts.size >= 1024) textParts.delete(textParts.keys().next().value ?? key);
    textParts.set(key, part);
  }
  return part;
}

/** The plain-text skeleton of a structure: its instances' parts, a blank line between modules. */
function textSkeleton(structure: Structure): Split {
  const chunks: string[] = [''];
  const holes: HoleRef[] = [];
  structure.instances.forEach((_, index) => {
    const part = instanceText(structure, index);
    const last = chunks.length - 1;
    chunks[last] = `${chunks[last] ?? ''}${index === 0 ? '' : MODULE_BREAK}${part.chunks[0] ?? ''}`;
    part.holes.forEach((ref, i) => {
      holes.push(ref.kind === 'field' ? ref : { ...ref, index });
      chunks.push(part.chunks[i + 1] ?? '');
    });
  });
  return { chunks, chunkBytes: chunks.map(utf8Length), holes };
}

/** Compiles one structure with mjml (async in mjml 5) and splits the result around its holes. */
export async function compileSkeleton(structure: Structure): Promise<Skeleton> {
  const { mjml2html } = loadMjml();
  const html = registry();
  const source = emitMjml(structure, html.write);
  const started = performance.now();
  let result: Awaited<ReturnType<typeof mjml2html>>;
  try {
    result = await mjml2html(source, MJML_OPTIONS);
  } catch (cause) {
    throw new HubspokeError(
      'E_INTERNAL',
      `mjml failed to compile template "${structure.compiled.template.id}": ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  const compileMs = performance.now() - started;
  return { key: structure.key, html: split(result.html, html.holes), text: textSkeleton(structure), compileMs };
}

/** What a skeleton is requested for: a remote source (a browser asking a server) recomputes the structure from it. */
export interface SkeletonRequest {
  draft: Draft;
  locale: string;
  annotate: boolean;
}

/**
 * Where renders get their skeletons: `SkeletonCache` compiles them with mjml (Node); a browser
 * asks a server (`remoteSkeletons` in `@hubspoke/template-engine/fill`).
 */
export interface SkeletonSource {
  get(structure: Structure, request: SkeletonRequest): Promise<Skeleton>;
}

/** Skeletons by structure key, least recently used dropped first. Shared by every render by default. */
export class SkeletonCache implements SkeletonSource {
  private readonly entries = new Map<string, Promise<Skeleton>>();
  hits = 0;
  misses = 0;

  constructor(readonly limit = 64) {}

  get(structure: Structure): Promise<Skeleton> {
    const hit = this.entries.get(structure.key);
    if (hit) {
      this.hits += 1;
      this.entries.delete(structure.key);
      this.entries.set(structure.key, hit);
      return hit;
    }
    this.misses += 1;
    const pending = compileSkeleton(structure);
    this.entries.set(structure.key, pending);
    pending.catch(() => this.entries.delete(structure.key));
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

export const defaultSkeletonCache = new SkeletonCache();

/** The full mjml compile of the same document, values written in: what a filled skeleton must equal. */
export async function compileFull(structure: Structure, write: (ref: HoleRef) => string): Promise<string> {
  const { mjml2html } = loadMjml();
  return (await mjml2html(emitMjml(structure, write), MJML_OPTIONS)).html;
}

/** The plain text of the same document, each module's reading view converted whole by html-to-text. */
export function convertFullText(structure: Structure, write: (ref: HoleRef) => string): string {
  return tidyPlainText(
    structure.instances.map((_, index) => htmlToPlainText(emitTextView(structure, index, write))).join(MODULE_BREAK),
  );
}
