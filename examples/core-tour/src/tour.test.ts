import { describe, expect, it } from 'vitest';
import { runTour } from './tour.js';

describe('core tour example', () => {
  const report = runTour();

  it('validates the brand kit and applies defaults', () => {
    expect(report.brandKit).toEqual({ name: 'Acme Outdoor', colours: 3, bannedTerms: 1 });
  });

  it('shows a validation error naming the bad path', () => {
    expect(report.validationError.code).toBe('E_VALIDATION');
    expect(report.validationError.message).toContain(
      'brandKit.palette[3].hex: expected a hex colour like #1A2B3C, got "red"',
    );
  });

  it('asks the hybrid operating model and gets the expected answers', () => {
    expect(report.decisions.map((d) => d.allowed)).toEqual([true, false, true, true, false]);
    expect(report.decisions[1]?.why).toContain('lena');
  });

  it('counts diagnostics and reads the JSON Schema', () => {
    expect(report.diagnostics).toEqual({ error: 1, warning: 1, suggestion: 0 });
    expect(report.schemaProperties).toEqual(expect.arrayContaining(['palette', 'voice', 'links', 'subjectLine']));
  });
});
