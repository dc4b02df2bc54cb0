/**
 * Which remote images the preview may load. An email's images are requests to someone's server:
 * a tracking pixel in a draft would tell its owner who previewed it and when. By default only
 * the brand's own asset and logo hosts are allowed; everything else is blocked by the page's
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
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const origin = parsed.origin;
  return /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/i.test(origin) ? origin : undefined;
}

// Image references in email HTML: src/background attributes, srcset candidates and CSS url(…).
const ATTRIBUTE = /\s(?:src|background)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const SRCSET = /\ssrcset\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)/gi;

function decodeEntities(value: string): string {
  return value.replace(/&(amp|quot|#39|apos);/g, (_m, name: string) => ({ amp: '&', quot: '"', '#39': "'", apos: "'" })[name] ?? '');
}

function imageUrls(html: string): string[] {
  const found: string[] = [];
  const collect = (pattern: RegExp, split: boolean) => {
    for (const match of html.matchAll(pattern)) {
      const raw = decodeEntities(match[1] ?? match[2] ?? match[3] ?? '').trim();
      if (split) found.push(...raw.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '').filter((u) => u !== ''));
      else if (raw !== '') found.push(raw);
    }
  };
  collect(ATTRIBUTE, false);
  collect(SRCSET, true);
  collect(CSS_URL, false);
  return found;
}

export function imagePolicy(approvedUrls: readonly string[], allowAll: boolean): ImagePolicy {
  const origins = [...new Set(approvedUrls.map(originOf).filter((o): o is string => o !== undefined))];
  if (allowAll) return { imgSrc: 'img-src * data: blob:', blocked: () => [] };
  const allowed = new Set(origins);
  return {
    imgSrc: ['img-src', "'self'", 'data:', ...origins].join(' '),
    blocked(html) {
      const blocked = new Set<string>();
      for (const url of imageUrls(html)) {
        if (/^(?:data|cid):/i.test(url)) continue;
        // Protocol-relative URLs load over the page's scheme (http) in the preview.
        const origin = originOf(url.startsWith('//') ? `http:${url}` : url);
        if (origin !== undefined && !allowed.has(origin)) blocked.add(url);
      }
      return [...blocked];
    },
  };
}
