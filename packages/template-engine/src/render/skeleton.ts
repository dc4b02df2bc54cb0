import { randomBytes } from 'node:crypto';
import { HubspokeError } from '@hubspoke/core';
import { loadMjml, MJML_OPTIONS } from '../mjml/load.js';
import { emitMjml, emitTextView, type HoleRef } from './emit.js';
import { htmlToPlainText } from './plain-text.js';
import type { Structure } from './structure.js';

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
const PREFIX = `hsph${randomBytes(6).toString('hex').replace(/[0-9]/g, (d) => String.fromCharCode(103 + Number(d)))}x`;
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
  return { chunks, chunkBytes: chunks.map((c) => Buffer.byteLength(c, 'utf8')), holes: order };
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
    throw new HubspokeError('E_INTERNAL', `mjml failed to compile template "${structure.compiled.template.id}": ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const compileMs = performance.now() - started;
  const text = registry();
  const plain = htmlToPlainText(emitTextView(structure, text.write));
  return { key: structure.key, html: split(result.html, html.holes), text: split(plain, text.holes), compileMs };
}

/** Skeletons by structure key, least recently used dropped first. Shared by every render by default. */
export class SkeletonCache {
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

/** The plain text of the same document converted whole by html-to-text. */
export function convertFullText(structure: Structure, write: (ref: HoleRef) => string): string {
  return htmlToPlainText(emitTextView(structure, write));
}
