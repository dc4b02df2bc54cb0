import { describe, expect, it } from 'vitest';
import { checkEmail } from './check-email.js';
import { sampleEmail } from './sample-email.js';

describe('embedding brand-rules in your own tool', () => {
  const { result, report } = checkEmail(sampleEmail);
  const rules = new Set(result.diagnostics.map((d) => d.ruleId));

  it('finds the brand problems of an email built elsewhere', () => {
    for (const id of [
      'brand/banned-term',
      'brand/preferred-term',
      'brand/link-https',
      'brand/image-alt',
      'brand/palette',
      'brand/subject-line',
    ]) {
      expect(rules.has(id), `${id} in ${[...rules].join(', ')}`).toBe(true);
    }
    expect(result.failed).toBe(true);
  });

  it('locates HTML findings by line and column', () => {
    const lines = result.diagnostics.filter((d) => d.ruleId === 'brand/banned-term').map((d) => d.location.line);
    expect(lines).toContain(6);
    expect(result.diagnostics.find((d) => d.ruleId === 'brand/image-alt')?.location).toMatchObject({
      line: 7,
      column: 1,
    });
    expect(report).toContain('weekly.html');
  });

  it('applies safe fixes to the HTML and leaves the rest as findings', () => {
    const fixed = checkEmail(sampleEmail, { fix: true });
    expect(fixed.fixedHtml).toContain('This week at the coffee bar');
    expect(fixed.result.diagnostics.some((d) => d.ruleId === 'brand/preferred-term')).toBe(false);
    expect(fixed.result.diagnostics.some((d) => d.ruleId === 'brand/banned-term')).toBe(true);
    expect(fixed.result.failed).toBe(true);
  });
});
