import type { Asset, BrandKit, ImageSlotDef, LinkSlotDef } from '@hubspoke/core';

/** `*.example.com` matches subdomains (not the bare domain); a plain domain matches itself. */
export function domainAllowed(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    return pattern.startsWith('*.') ? h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1 : h === pattern;
  });
}

export interface PolicyCheck {
  ok: boolean;
  message: string;
}

/** What the link policy says about an address as the spoke types it (scheme, then domain). */
export function linkPolicy(href: string, slot: LinkSlotDef, brandKit: BrandKit): PolicyCheck {
  const domains = slot.allowedDomains ?? brandKit.links.allowedDomains;
  const list = domains.length === 0 ? 'any domain' : domains.join(', ');
  if (href.trim() === '') return { ok: true, message: `Allowed: ${slot.allowedSchemes.join(', ')} links to ${list}` };
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return { ok: false, message: 'Not a complete address yet: start with https://' };
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!(slot.allowedSchemes as readonly string[]).includes(scheme))
    return { ok: false, message: `${scheme}: links are not allowed here (allowed: ${slot.allowedSchemes.join(', ')})` };
  if (scheme === 'http' && brandKit.links.requireHttps) return { ok: false, message: 'The brand requires https links' };
  if (scheme !== 'http' && scheme !== 'https') return { ok: true, message: `${scheme} link` };
  if (domains.length > 0 && !domainAllowed(url.hostname, domains))
    return { ok: false, message: `${url.hostname} is not an approved domain (approved: ${list})` };
  return { ok: true, message: `${url.hostname} is an approved domain` };
}

export interface AssetChoice {
  asset: Asset;
  usable: boolean;
  /** Why it cannot be used here (licence, expiry, host). */
  reason?: string;
}

/**
 * The brand library as the image picker shows it: what the draft's region may use today,
 * and what is left out and why (licence, expiry, the slot's hosts).
 */
export function assetChoices(
  brandKit: BrandKit,
  slot: ImageSlotDef,
  region: string | undefined,
  today: Date,
): AssetChoice[] {
  const day = today.toISOString().slice(0, 10);
  return brandKit.assets
    .filter((a) => a.kind === 'image' || a.kind === 'logo')
    .map((asset): AssetChoice => {
      if (asset.expiresOn !== undefined && asset.expiresOn < day)
        return { asset, usable: false, reason: `Licence expired on ${asset.expiresOn}` };
      if (!asset.licensedRegions.includes('*') && (region === undefined || !asset.licensedRegions.includes(region)))
        return {
          asset,
          usable: false,
          reason: `Licensed for ${asset.licensedRegions.join(', ')} only${region === undefined ? '' : `, not ${region}`}`,
        };
      if (slot.allowedDomains && !domainAllowed(new URL(asset.url).hostname, slot.allowedDomains))
        return { asset, usable: false, reason: `This place takes images from ${slot.allowedDomains.join(', ')} only` };
      return { asset, usable: true };
    });
}

/** The asset's alt text for a locale: the locale, its language, then `*`. */
export function assetAlt(asset: Asset, locale: string): string | undefined {
  return asset.altText[locale] ?? asset.altText[locale.split('-')[0] ?? ''] ?? asset.altText['*'];
}
