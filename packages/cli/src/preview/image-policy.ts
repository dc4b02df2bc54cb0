/**
 * Which remote images the preview may load. An email's images are requests to someone's server:
 * a tracking pixel in a draft would tell its owner who previewed it and when. By default only
 * the folders of the brand's own assets and logos are allowed; everything else is blocked by the page's
 * content security policy and listed, so the reviewer knows what they are not seeing.
 */
export interface ImagePolicy {
  /** The `img-src` directive for the page (srcdoc frames inherit it). */
  imgSrc: string;
  /** Remote image URLs in `html` that the policy blocks, each once, in document order. */
  blocked(html: string): string[];
}

/** `http(s)://host[:port]` only: an origin is pasted into a CSP header, so nothing else gets through. */
export function originOf(url: string): string | undefined {
  const parsed = httpUrl(url);
  return parsed === undefined ? undefined : safeOrigin(parsed);
}

function httpUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function safeOrigin(url: URL): string | undefined {
  return /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/i.test(url.origin) ? url.origin : undefined;
}

/**
 * The folder an approved image lives in, as a CSP source (`https://host/brand/assets/`), so a
 * shared host (a cloud bucket, a CDN) admits the brand's folder and not everyone's pixels.
 * `;` and `,` would end the directive and `'` reads like a keyword: they are percent-encoded,
 * which CSP matching decodes.
 */
export function folderOf(url: string): string | undefined {
  const parsed = httpUrl(url);
  const origin = parsed === undefined ? undefined : safeOrigin(parsed);
  if (parsed === undefined || origin === undefined) return undefined;
  const folder = parsed.pathname
    .slice(0, parsed.pathname.lastIndexOf('/') + 1)
    .replace(/[;,']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return /^\/[\w.~%!$&()*+=:@/-]*$/.test(folder) ? `${origin}${folder}` : undefined;
}

// Image references in email HTML: src/background attributes, srcset candidates and CSS url(…).
const ATTRIBUTE = /\s(?:src|background)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const SRCSET = /\ssrcset\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)/gi;

function decodeEntities(value: string): string {
  return value.replace(
    /&(amp|quot|#39|apos);/g,
    (_m, name: string) => ({ amp: '&', quot: '"', '#39': "'", apos: "'" })[name] ?? '',
  );
}

function imageUrls(html: string): string[] {
  const found: string[] = [];
  const collect = (pattern: RegExp, split: boolean) => {
    for (const match of html.matchAll(pattern)) {
      const raw = decodeEntities(match[1] ?? match[2] ?? match[3] ?? '').trim();
      if (split)
        found.push(
          ...raw
            .split(',')
            .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
            .filter((u) => u !== ''),
        );
      else if (raw !== '') found.push(raw);
    }
  };
  collect(ATTRIBUTE, false);
  collect(SRCSET, true);
  collect(CSS_URL, false);
  return found;
}

export function imagePolicy(approvedUrls: readonly string[], allowAll: boolean): ImagePolicy {
  if (allowAll) return { imgSrc: 'img-src * data: blob:', blocked: () => [] };
  const folders = [...new Set(approvedUrls.map(folderOf).filter((f): f is string => f !== undefined))];
  const allowed = (url: string) => {
    const folder = folderOf(url);
    return folder !== undefined && folders.some((f) => folder.startsWith(f));
  };
  return {
    imgSrc: ['img-src', "'self'", 'data:', ...folders].join(' '),
    blocked(html) {
      const blocked = new Set<string>();
      for (const url of imageUrls(html)) {
        if (/^(?:data|cid):/i.test(url)) continue;
        // Protocol-relative URLs load over the page's scheme (http) in the preview.
        const absolute = url.startsWith('//') ? `http:${url}` : url;
        if (originOf(absolute) !== undefined && !allowed(absolute)) blocked.add(url);
      }
      return [...blocked];
    },
  };
}
