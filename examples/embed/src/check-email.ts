import { createHash } from 'node:crypto';
import { createLinter, defineConfig, formatStylish, type LintResult } from '@hubspoke/brand-rules';
import { brandKit } from './brand.js';

// One linter for the life of the tool: rules and term matchers are compiled once.
const linter = createLinter({
  brandKit,
  config: defineConfig({ extends: ['hubspoke/recommended'], rules: { 'brand/readability': 'off' } }),
});

export interface EmailFile {
  name: string;
  subject: string;
  html: string;
}

export interface EmailCheck {
  result: LintResult;
  report: string;
  /** The HTML after safe fixes (only with `fix`). */
  fixedHtml?: string;
}

/** Lints an email exported from any builder: no Hubspoke template or draft needed. */
export function checkEmail(email: EmailFile, options: { fix?: boolean } = {}): EmailCheck {
  const rendered = {
    draftId: 'external',
    draftVersion: 1,
    template: { id: 'external', version: 1 },
    locale: 'en-US',
    dialect: 'preview' as const,
    subject: email.subject,
    preheader: '',
    html: email.html,
    text: '',
    bytes: Buffer.byteLength(email.html),
    contentHash: createHash('sha256').update(email.html).digest('hex'),
  };
  const result = linter.lint({ rendered, file: email.name, fix: options.fix === true });
  const fixedHtml = result.fixed?.rendered[0]?.html;
  return { result, report: formatStylish(result), ...(fixedHtml === undefined ? {} : { fixedHtml }) };
}
