import type { LintConfig } from './define-config.js';

/** Every built-in rule at the level most hubs start with. */
export const recommended: LintConfig = {
  name: 'hubspoke/recommended',
  minLevel: 'error',
  rules: {
    'brand/banned-term': 'error',
    'brand/preferred-term': 'warning',
    'brand/legal-text': 'error',
    'brand/palette': 'warning',
    'brand/font-family': 'warning',
    'brand/font-size': 'warning',
    'brand/contrast': 'error',
    'brand/dark-contrast': 'warning',
    'brand/dark-image': 'warning',
    'brand/logo': 'error',
    'brand/link-https': 'error',
    'brand/link-domain': 'warning',
    'brand/link-utm': 'warning',
    'brand/image-alt': 'error',
    'brand/image-library': 'error',
    'brand/asset-expiry': 'error',
    'brand/asset-license': 'error',
    'brand/subject-line': 'warning',
    'brand/readability': 'suggestion',
    'brand/locked-content': 'error',
    'brand/personalization-fallback': 'error',
    'brand/html-syntax': 'warning',
    'brand/invalid-suppression': 'error',
    'brand/unused-suppression': 'warning',
  },
};

/** `recommended` with every warning raised to an error, and warnings failing the run. */
export const strict: LintConfig = {
  name: 'hubspoke/strict',
  extends: [recommended],
  minLevel: 'warning',
  rules: {
    'brand/preferred-term': 'error',
    'brand/palette': 'error',
    'brand/font-family': 'error',
    'brand/font-size': 'error',
    'brand/link-domain': 'error',
    'brand/link-utm': 'error',
    'brand/subject-line': 'error',
    'brand/readability': 'warning',
    'brand/html-syntax': 'error',
  },
};

/** Presets `extends` may name. */
export const presets: Readonly<Record<string, LintConfig>> = {
  'hubspoke/recommended': recommended,
  'hubspoke/strict': strict,
};
