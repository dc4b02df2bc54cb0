import { brandLibrary, type Asset, type BrandKit, type BrandLibrary } from '@hubspoke/core';
import { z } from 'zod';
import type { ImageRef } from '../types.js';
import { defineRule } from './define-rule.js';

const libraries = new WeakMap<BrandKit, BrandLibrary>();

/** Core's asset and logo matcher for a kit, built once per kit. */
function library(kit: BrandKit): BrandLibrary {
  let lib = libraries.get(kit);
  if (lib === undefined) {
    lib = brandLibrary(kit);
    libraries.set(kit, lib);
  }
  return lib;
}

/**
 * The library asset an image is (core's rule: by `assetId` whose URL must match, else by URL).
 * A wrong or unknown `assetId` is reported by `brand/image-library`, and never switches the
 * asset's own rules off: the asset the URL is (else the one claimed) still counts for expiry and
 * licence.
 */
export function assetOf(kit: BrandKit, image: ImageRef): Asset | undefined {
  const match = library(kit).imageOf(image);
  if (match.kind === 'asset') return match.asset;
  if (match.kind === 'mismatch') return match.atUrl ?? match.asset;
  if (match.kind === 'unknown-asset') return match.atUrl;
  return undefined;
}

function libraryAlt(asset: Asset | undefined, locale: string): string | undefined {
  if (asset === undefined) return undefined;
  const language = locale.split('-')[0] ?? locale;
  return asset.altText[locale] ?? asset.altText[language] ?? asset.altText['*'];
}

const FILE_NAME = /^[\w.-]+\.(?:png|jpe?g|gif|webp|svg|bmp|avif|tiff?)$|^(?:img|image|dsc|pxl|screenshot)[_-]?\d+/i;

function basename(src: string): string {
  return (
    src
      .trim()
      .replace(/[?#].*$/, '')
      .split('/')
      .pop() ?? ''
  );
}

export const imageAlt = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Images have alt text that says something: not missing (when `brandKit.images.requireAlt`), not generic (`brandKit.images.genericAltTerms`), not a file name; linked images never have empty alt',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: {
      missing: 'Image {{src}} has no alt text',
      emptyLinked: 'Linked image {{src}} has empty alt text, so the link has no name',
      generic: 'Alt text "{{alt}}" of image {{src}} does not describe it',
    },
  },
  create(context) {
    const generic = new Set(context.brandKit.images.genericAltTerms.map((t) => t.toLowerCase()));
    return {
      image(image) {
        const asset = assetOf(context.brandKit, image);
        const approved = libraryAlt(asset, context.locale);
        const src = basename(image.src) || image.src;
        const alt = image.alt?.trim();
        const fromLibrary = (description: string) =>
          approved === undefined || approved.trim() === ''
            ? undefined
            : { description, target: image.altTarget, text: approved };
        if (alt === undefined || (alt === '' && image.location.source === 'draft')) {
          if (!context.brandKit.images.requireAlt) return;
          context.report({
            messageId: 'missing',
            data: { src },
            at: { location: image.location },
            fix: fromLibrary(`Use the library alt text "${approved ?? ''}"`),
          });
          return;
        }
        if (alt === '') {
          if (image.linked)
            context.report({
              messageId: 'emptyLinked',
              data: { src },
              at: { location: image.location },
              fix: fromLibrary(`Use the library alt text "${approved ?? ''}"`),
            });
          return;
        }
        const bare = alt
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s]/gu, '')
          .trim();
        if (generic.has(bare) || FILE_NAME.test(alt) || alt.toLowerCase() === src) {
          const suggestion = fromLibrary(`Use the library alt text "${approved ?? ''}"`);
          context.report({
            messageId: 'generic',
            data: { alt, src },
            at: { location: image.location },
            suggest: suggestion === undefined ? undefined : [suggestion],
          });
        }
      },
    };
  },
});

export const imageLibrary = defineRule<{ allow: string[] }>({
  meta: {
    type: 'problem',
    docs: {
      description:
        'When `brandKit.images.libraryOnly`, every image is an approved library asset or logo (`options.allow`: URL prefixes exempt, e.g. tracking pixels); an `assetId` must match its URL',
      recommended: true,
    },
    messages: {
      notInLibrary: 'Image {{src}} is not in the approved asset library',
      mismatch: 'Image {{src}} claims asset "{{assetId}}" but that asset lives at {{url}}',
      unknownAsset: 'Image {{src}} names asset "{{assetId}}", which the asset library does not have{{didYouMean}}',
    },
    schema: z
      .object({ allow: z.array(z.string()).default([]) })
      .strict()
      .default({ allow: [] }),
  },
  create(context) {
    const lib = library(context.brandKit);
    return {
      image(image) {
        const match = lib.imageOf(image);
        if (match.kind === 'mismatch' || match.kind === 'unknown-asset') {
          context.report({
            messageId: match.kind === 'mismatch' ? 'mismatch' : 'unknownAsset',
            data: {
              src: image.src,
              assetId: image.assetId ?? '',
              url: match.kind === 'mismatch' ? match.asset.url : '',
              didYouMean:
                match.kind === 'unknown-asset' && match.didYouMean !== undefined
                  ? `; did you mean "${match.didYouMean}"?`
                  : '',
            },
            at: { location: image.location },
            ...(match.kind === 'unknown-asset'
              ? {
                  facts: {
                    assetId: match.assetId,
                    ...(match.didYouMean === undefined ? {} : { didYouMean: match.didYouMean }),
                  },
                }
              : {}),
          });
          return;
        }
        if (!context.brandKit.images.libraryOnly || image.src.trim() === '') return;
        if (match.kind !== 'none') return;
        if (context.options.allow.some((prefix) => image.src.startsWith(prefix))) return;
        context.report({ messageId: 'notInLibrary', data: { src: image.src }, at: { location: image.location } });
      },
    };
  },
});

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export const assetExpiry = defineRule<{ warnDays: number }>({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Library assets are not used past their `expiresOn` date (inclusive); with `warnDays`, also reports assets expiring within that many days',
      recommended: true,
    },
    messages: {
      expired: 'Asset "{{id}}" expired on {{date}}',
      expiresSoon: 'Asset "{{id}}" expires on {{date}}, in {{days}} day(s)',
    },
    schema: z
      .object({ warnDays: z.number().int().min(0).default(0) })
      .strict()
      .default({ warnDays: 0 }),
    overridable: false,
  },
  create(context) {
    const today = day(context.now);
    return {
      image(image) {
        const asset = assetOf(context.brandKit, image);
        if (asset?.expiresOn === undefined) return;
        if (asset.expiresOn < today) {
          context.report({
            messageId: 'expired',
            data: { id: asset.id, date: asset.expiresOn },
            at: { location: image.location },
            facts: { assetId: asset.id, expiresOn: asset.expiresOn },
          });
          return;
        }
        const days = Math.round((Date.parse(asset.expiresOn) - Date.parse(today)) / 86_400_000);
        if (context.options.warnDays > 0 && days <= context.options.warnDays)
          context.report({
            messageId: 'expiresSoon',
            data: { id: asset.id, date: asset.expiresOn, days },
            at: { location: image.location },
          });
      },
    };
  },
});

export const assetLicense = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        "Library assets are licensed for the draft's region (`licensedRegions`, `*` = everywhere); nothing is checked when the region is unknown",
      recommended: true,
    },
    messages: { unlicensed: 'Asset "{{id}}" is licensed for {{regions}}, not {{region}}' },
    overridable: false,
  },
  create(context) {
    return {
      image(image) {
        const region = context.region;
        const asset = assetOf(context.brandKit, image);
        if (asset === undefined || region === undefined) return;
        if (asset.licensedRegions.includes('*') || asset.licensedRegions.includes(region)) return;
        context.report({
          messageId: 'unlicensed',
          data: { id: asset.id, regions: asset.licensedRegions.join(', '), region },
          at: { location: image.location },
          facts: { assetId: asset.id, region },
        });
      },
    };
  },
});

export const logo = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Logos are the approved files (`brandKit.logos`) at an approved width (`minWidth`…`maxWidth`); an image that looks like a logo but is not one is flagged',
      recommended: true,
    },
    messages: {
      unapproved: 'Image {{src}} looks like a logo but is not an approved logo file',
      tooNarrow: 'Logo "{{id}}" is {{width}}px wide; at least {{min}}px is approved',
      tooWide: 'Logo "{{id}}" is {{width}}px wide; at most {{max}}px is approved',
    },
  },
  create(context) {
    const lib = library(context.brandKit);
    return {
      image(image) {
        const approved = lib.logoOf(image.src);
        if (approved === undefined) {
          const asset = assetOf(context.brandKit, image);
          const looksLikeLogo =
            asset?.kind === 'logo' || /logo/i.test(basename(image.src)) || /\blogo\b/i.test(image.alt ?? '');
          if (looksLikeLogo && asset?.kind !== 'logo' && context.brandKit.logos.length > 0)
            context.report({ messageId: 'unapproved', data: { src: image.src }, at: { location: image.location } });
          return;
        }
        const width = image.width;
        if (width === undefined) return;
        if (approved.minWidth !== undefined && width < approved.minWidth)
          context.report({
            messageId: 'tooNarrow',
            data: { id: approved.id, width, min: approved.minWidth },
            at: { location: image.location },
          });
        if (approved.maxWidth !== undefined && width > approved.maxWidth)
          context.report({
            messageId: 'tooWide',
            data: { id: approved.id, width, max: approved.maxWidth },
            at: { location: image.location },
          });
      },
    };
  },
});
