import { hybrid, isHubspokeError, type WorkflowDefInput } from '@hubspoke/core';
import { deepObject, elapsedMs, fastestMs, hugeString } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import { createApprovals } from './approvals.js';
import { MemoryEventStore } from './store/memory-store.js';
import { prepareWorkflow } from './workflow.js';

const workflow: WorkflowDefInput = {
  id: 'bounded',
  version: 1,
  name: 'Legal only',
  stages: [{ id: 'legal', name: 'Legal', reviewers: [{ role: 'legal-reviewer' }] }],
};
const lena = { id: 'lena', roles: ['spoke-marketer'], regions: ['EMEA'] };
const lee = { id: 'lee', roles: ['legal-reviewer'] };

async function refusal(run: () => unknown): Promise<{ code: string | undefined; message: string }> {
  try {
    await run();
  } catch (error) {
    return { code: isHubspokeError(error) ? error.code : undefined, message: (error as Error).message };
  }
  throw new Error('expected a refusal');
}

/**
 * Each refusal is timed against a baseline: the same call with a one-character string. The old
 * code spread a 10 MB string into ten million keys (13 s for 4 MB); a bound of 100 ms plus 50×
 * the baseline holds on a loaded machine and fails on that by two orders of magnitude.
 */
async function refusedQuickly(call: (value: unknown) => Promise<unknown>): Promise<void> {
  const baseline = await elapsedMs(() => call('x'));
  for (const value of [hugeString(), deepObject(10_000)]) {
    const took = await fastestMs(() => call(value));
    expect(took).toBeLessThan(100 + 50 * baseline);
    const { code, message } = await refusal(() => call(value));
    expect(code).toBe('E_VALIDATION');
    expect(message.length).toBeLessThan(4_200);
  }
}

describe('approvals refuse huge and deep input before doing work proportional to it', () => {
  const approvals = () =>
    createApprovals({
      store: new MemoryEventStore(),
      workflows: [workflow],
      operatingModel: hybrid,
      directory: [lena, lee],
    });

  it('submit, decide, comment, resubmit and revoke: a 10 MB string or 10,000 levels is E_VALIDATION at once', async () => {
    const a = approvals();
    const { submissionId } = await a.submit(lena, {
      draftId: 'd',
      title: 'T',
      contentHash: 'h',
      facts: { region: 'EMEA' },
    });
    await refusedQuickly((v) => a.submit(lena, v as never));
    await refusedQuickly((v) => a.decide(lee, submissionId, v as never));
    await refusedQuickly((v) => a.comment(lee, submissionId, v as never));
    await refusedQuickly((v) => a.resubmit(lena, submissionId, v as never));
    await refusedQuickly((v) => a.revoke(lee, submissionId, v as never));
    await refusedQuickly((v) =>
      a.decide(lee, submissionId, { decision: 'approved', stageId: 'legal', note: v } as never),
    );
    await refusedQuickly((v) => a.status(v as never, submissionId));
  });

  it('validates a command before hashing it for its idempotency key (deep values were a raw RangeError)', async () => {
    const a = approvals();
    const { submissionId } = await a.submit(lena, {
      draftId: 'd',
      title: 'T',
      contentHash: 'h',
      facts: { region: 'EMEA' },
    });
    for (const run of [
      () =>
        a.decide(lee, submissionId, { decision: 'approved', idempotencyKey: 'k1', note: deepObject(10_000) } as never),
      () => a.comment(lee, submissionId, { body: 'x', idempotencyKey: 'k2', anchor: deepObject(10_000) } as never),
    ])
      expect((await refusal(run)).code).toBe('E_VALIDATION');
  });

  it('due() needs a valid Date; createApprovals needs options', async () => {
    const a = approvals();
    expect((await refusal(() => a.due(0 as never))).code).toBe('E_VALIDATION');
    expect((await refusal(() => a.due(new Date(Number.NaN)))).code).toBe('E_VALIDATION');
    for (const options of [null, undefined, 'x', { store: new MemoryEventStore() }])
      expect((await refusal(() => createApprovals(options as never))).code).toBe('E_VALIDATION');
  });

  it('a stage may have at most 50 reminders: 100,000 are refused at once, naming the limit', async () => {
    const stage = (n: number) => ({
      ...workflow,
      stages: [{ ...workflow.stages[0], due: { after: 'P2D', reminders: Array.from({ length: n }, () => '-PT4H') } }],
    });
    expect(prepareWorkflow(stage(50)).def.stages[0]?.due?.reminders).toHaveLength(50);
    const { code, message } = await refusal(() => prepareWorkflow(stage(100_000)));
    expect(code).toBe('E_VALIDATION');
    expect(message).toMatch(/at most 50 items/);
  });
});
