import { darkContrast, darkImage } from './dark-mode.js';
import { htmlSyntax, invalidSuppression, unusedSuppression } from './engine-rules.js';
import { assetExpiry, assetLicense, imageAlt, imageLibrary, logo } from './images.js';
import { legalText } from './legal-text.js';
import { linkDomain, linkHttps, linkUtm } from './links.js';
import { lockedContent } from './locked-content.js';
import { personalizationFallback } from './personalization.js';
import { readability } from './readability.js';
import { contrast, fontFamily, fontSize, palette } from './styles.js';
import { subjectLine } from './subject-line.js';
import { bannedTerm, preferredTerm } from './terms.js';

/** Every built-in rule by id. */
export const builtinRules = {
  'brand/banned-term': bannedTerm,
  'brand/preferred-term': preferredTerm,
  'brand/legal-text': legalText,
  'brand/palette': palette,
  'brand/font-family': fontFamily,
  'brand/font-size': fontSize,
  'brand/contrast': contrast,
  'brand/dark-contrast': darkContrast,
  'brand/dark-image': darkImage,
  'brand/logo': logo,
  'brand/link-https': linkHttps,
  'brand/link-domain': linkDomain,
  'brand/link-utm': linkUtm,
  'brand/image-alt': imageAlt,
  'brand/image-library': imageLibrary,
  'brand/asset-expiry': assetExpiry,
  'brand/asset-license': assetLicense,
  'brand/subject-line': subjectLine,
  'brand/readability': readability,
  'brand/locked-content': lockedContent,
  'brand/personalization-fallback': personalizationFallback,
  'brand/html-syntax': htmlSyntax,
} as const;

/** Rules the engine reports itself (suppression hygiene). */
export const engineRules = {
  'brand/invalid-suppression': invalidSuppression,
  'brand/unused-suppression': unusedSuppression,
} as const;

export type BuiltinRuleId = keyof typeof builtinRules | keyof typeof engineRules;
