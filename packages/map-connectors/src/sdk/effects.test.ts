import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowEffect } from '@hubspoke/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fs } from '../connectors/fs/fs.js';
import { applyWorkflowEffect, applyWorkflowEffects } from './effects.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hubspoke-effects-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const effects: WorkflowEffect[] = [
  {
    type: 'createTask',
    taskKey: 'sub-1:legal',
    submissionId: 'sub-1',
    stageId: 'legal',
    assignee: 'lena',
    title: 'Legal review',
    dueAt: '2026-04-01T12:00:00Z',
  },
  {
    type: 'notify',
    submissionId: 'sub-1',
    stageId: 'legal',
    to: ['lena'],
    reason: 'review-requested',
    message: 'Please review',
  },
  { type: 'closeTask', taskKey: 'sub-1:legal', submissionId: 'sub-1', stageId: 'legal', outcome: 'approved' },
];

describe('applyWorkflowEffects', () => {
  it('performs each effect with the connector, retried effects making one task', async () => {
    const connector = fs.create({ outDir: dir });
    const outcomes = await applyWorkflowEffects([connector], [...effects, effects[0]!], {
      link: 'https://hub.example/s/sub-1',
    });
    expect(outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done', 'done']);
    const tasks = (await readFile(join(dir, 'outbox', 'tasks.jsonl'), 'utf8')).trim().split('\n');
    expect(tasks).toHaveLength(2); // one create (the retry was recognised), one close
    const notes = await readFile(join(dir, 'outbox', 'notifications.jsonl'), 'utf8');
    expect(notes).toContain('Review requested');
    expect(notes).toContain('https://hub.example/s/sub-1');
  });

  it('rejects malformed effects with E_VALIDATION', async () => {
    await expect(
      applyWorkflowEffect(fs.create({ outDir: dir }), { type: 'explode' } as unknown as WorkflowEffect),
    ).rejects.toMatchObject({ code: 'E_VALIDATION' });
  });

  it('reports a failure as data and rethrows cancellation', async () => {
    const outcome = await applyWorkflowEffect(fs.create({ outDir: dir }), effects[2]!);
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'E_NOT_FOUND' } });
    const controller = new AbortController();
    controller.abort();
    await expect(
      applyWorkflowEffect(fs.create({ outDir: dir }), effects[1]!, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'E_ABORTED' });
  });
});
