import type { Asset } from '../schemas/asset.js';
import type { BrandKit, Logo, PaletteColor } from '../schemas/brand-kit.js';
import { closest } from '../validation/describe-schema.js';

/** `#ABC` or `#AaBbCc` (spaces around allowed) → `#aabbcc`; anything else → undefined. */
export function normalizeHexColor(value: string): string | undefined {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!m?.[1]) return undefined;
  const hex = m[1].toLowerCase();
  return hex.length === 3 ? `#${hex.replace(/./g, '$&$&')}` : `#${hex}`;
}

/** The palette colour a hex colour is, compared as `#rrggbb` in lower case. */
export function paletteColorOf(palette: readonly PaletteColor[], color: string): PaletteColor | undefined {
  const hex = normalizeHexColor(color);
  if (hex === undefined) return undefined;
  return palette.find((p) => normalizeHexColor(p.hex) === hex);
}

interface UrlParts {
  /** Scheme, host and port (lower case, default port dropped) and path. */
  base: string;
  query: string;
}

function urlParts(url: string): UrlParts | undefined {
  try {
    const u = new URL(url.trim());
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return { base: `${u.protocol}//${u.host}${u.pathname}`, query: u.search };
  } catch {
    return undefined;
  }
}

/**
 * Whether an image URL is the library file at `libraryUrl`: same scheme, host and path (host
 * case and default ports do not matter, path case does); the fragment never matters; a query
 * string matters only when the library URL has one (CDN size parameters on a plain file are fine).
 */
export function sameLibraryUrl(libraryUrl: string, src: string): boolean {
  const a = urlParts(libraryUrl);
  const b = urlParts(src);
  if (a === undefined || b === undefined) return false;
  return a.base === b.base && (a.query === '' || a.query === b.query);
}

export type LibraryImage =
  | { kind: 'asset'; asset: Asset }
  | { kind: 'logo'; logo: Logo }
  /**
   * The image names an `assetId` whose file is at another URL. `atUrl` is the library asset the
   * URL is, if any: its expiry and licence still apply (a wrong id never weakens the rules).
   */
  | { kind: 'mismatch'; asset: Asset; atUrl?: Asset }
  /**
   * The image names an `assetId` the library does not have; `didYouMean` is the closest id,
   * `atUrl` the library asset the URL is, if any (its expiry and licence still apply).
   */
  | { kind: 'unknown-asset'; assetId: string; didYouMean?: string; atUrl?: Asset }
  | { kind: 'none' };

export interface BrandLibrary {
  /** Which approved file an image is: by `assetId` (whose URL must match), else by URL. */
  imageOf(image: { src: string; assetId?: string | undefined }): LibraryImage;
  assetById(id: string): Asset | undefined;
  /** The approved logo file at this URL. */
  logoOf(src: string): Logo | undefined;
}

/** Indexes a brand kit's assets and logos for {@link BrandLibrary.imageOf}. */
export function brandLibrary(kit: Pick<BrandKit, 'assets' | 'logos'>): BrandLibrary {
  const byId = new Map(kit.assets.map((a) => [a.id, a]));
  const byBase = new Map<string, { url: string; item: LibraryImage }[]>();
  const index = (url: string, item: LibraryImage) => {
    const parts = urlParts(url);
    if (parts !== undefined) byBase.set(parts.base, [...(byBase.get(parts.base) ?? []), { url, item }]);
  };
  for (const asset of kit.assets) index(asset.url, { kind: 'asset', asset });
  for (const logo of kit.logos) index(logo.url, { kind: 'logo', logo });
  const find = (src: string, kind: LibraryImage['kind']) => {
    const base = urlParts(src)?.base;
    const candidates = base === undefined ? [] : (byBase.get(base) ?? []);
    return candidates.find((c) => c.item.kind === kind && sameLibraryUrl(c.url, src))?.item;
  };
  return {
    assetById: (id) => byId.get(id),
    logoOf(src) {
      const hit = find(src, 'logo');
      return hit?.kind === 'logo' ? hit.logo : undefined;
    },
    imageOf(image) {
      if (image.assetId !== undefined) {
        const asset = byId.get(image.assetId);
        if (asset !== undefined && sameLibraryUrl(asset.url, image.src)) return { kind: 'asset', asset };
        const hit = find(image.src, 'asset');
        const atUrl = hit?.kind === 'asset' ? { atUrl: hit.asset } : {};
        if (asset !== undefined) return { kind: 'mismatch', asset, ...atUrl };
        const near = closest(image.assetId, byId.keys());
        return {
          kind: 'unknown-asset',
          assetId: image.assetId,
          ...(near === undefined ? {} : { didYouMean: near }),
          ...atUrl,
        };
      }
      return find(image.src, 'asset') ?? find(image.src, 'logo') ?? { kind: 'none' };
    },
  };
}
