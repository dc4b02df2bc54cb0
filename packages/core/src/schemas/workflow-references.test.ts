import { describe, expect, it } from 'vitest';
import { isHubspokeError } from '../errors/hubspoke-error.js';
import { parse } from '../validation/parse.js';
import { WorkflowDefSchema } from './workflow.js';

const stage = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  reviewers: [{ role: 'brand-manager' }],
  ...extra,
});

describe('a workflow naming a stage it lacks', () => {
  it('is E_VALIDATION at the path, listing the stages, with did-you-mean', () => {
    const input = {
      id: 'wf',
      version: 1,
      name: 'WF',
      stages: [stage('brand'), stage('legal'), stage('regional', { activation: { on: 'approved', of: ['legl'] } })],
    };
    try {
      parse(WorkflowDefSchema, input, 'workflow');
      throw new Error('expected a validation error');
    } catch (error) {
      expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
      const { message, path } = error as { message: string; path: string };
      expect(path).toBe('workflow.stages[2].activation.of');
      expect(message).toContain('got "legl"; did you mean "legal"?');
      expect(message).toContain('brand, legal, regional');
    }
  });

  it('a stage waiting on itself is named as such', () => {
    const input = {
      id: 'wf',
      version: 1,
      name: 'WF',
      stages: [stage('brand', { activation: { on: 'approved', of: ['brand'] } })],
    };
    expect(() => parse(WorkflowDefSchema, input, 'workflow')).toThrow(/own id "brand"/);
  });
});
