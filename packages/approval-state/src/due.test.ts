import { describe, expect, it } from 'vitest';
import { Harness, fullSubmit } from './__fixtures__/harness.js';
import { due } from './due.js';

function atLegal(): Harness {
  const h = new Harness();
  h.do('lena', fullSubmit);
  h.do('bea', { type: 'decide', decision: 'approved' });
  return h;
}

describe('due dates, reminders and escalation', () => {
  it('computes the due date, reminders before, at and after it, and the escalation time on activation', () => {
    const h = atLegal();
    expect(h.stage('legal')).toMatchObject({
      dueAt: '2026-03-04T09:00:00.000Z',
      reminders: ['2026-03-04T05:00:00.000Z', '2026-03-04T09:00:00.000Z', '2026-03-04T17:00:00.000Z'],
      escalation: { at: '2026-03-05T09:00:00.000Z', toRole: 'hub-admin' },
    });
    expect(h.effects).toContainEqual({
      type: 'createTask',
      taskKey: 'sub-1/legal/1/lee',
      submissionId: 'sub-1',
      stageId: 'legal',
      assignee: 'lee',
      title: 'Review "Berlin spring sale" (Legal)',
      dueAt: '2026-03-04T09:00:00.000Z',
    });
  });

  it('returns nothing before the first reminder, then each reminder once', () => {
    const h = atLegal();
    expect(due(h.state, '2026-03-04T04:59:59Z')).toEqual([]);
    expect(due(h.state, new Date('2026-03-04T05:00:00Z'))).toEqual([
      { kind: 'reminder', stageId: 'legal', at: '2026-03-04T05:00:00.000Z', to: ['lee'] },
    ]);
    h.advance('2026-03-04T05:00:00.000Z');
    const events = h.do('ada', { type: 'tick' });
    expect(h.types(events)).toEqual(['reminder.sent:legal']);
    expect(h.effects).toEqual([expect.objectContaining({ type: 'notify', reason: 'reminder', to: ['lee'] })]);
    expect(due(h.state, '2026-03-04T06:00:00Z')).toEqual([]);
    expect(due(h.state, '2026-03-04T17:00:00Z').map((d) => d.at)).toEqual([
      '2026-03-04T09:00:00.000Z',
      '2026-03-04T17:00:00.000Z',
    ]);
  });

  it('escalates to the role, whose member may then decide the stage', () => {
    const h = atLegal();
    h.advance('2026-03-05T09:00:00.000Z');
    h.do('ada', { type: 'tick' });
    expect(h.stage('legal').escalated).toEqual({
      at: '2026-03-05T09:00:00.000Z',
      toRole: 'hub-admin',
      assignees: ['ada'],
    });
    expect(h.effects).toContainEqual(expect.objectContaining({ type: 'notify', reason: 'escalation', to: ['ada'] }));
    expect(h.effects).toContainEqual(
      expect.objectContaining({ type: 'createTask', assignee: 'ada', taskKey: 'sub-1/legal/1/ada' }),
    );
    expect(due(h.state, '2026-03-06T00:00:00Z')).toEqual([]);
    h.do('ada', { type: 'decide', stageId: 'legal', decision: 'approved' });
    expect(h.stage('legal')).toMatchObject({ status: 'complete', result: 'approved' });
    expect(h.stage('legal').decisions.ada?.escalated).toBe(true);
  });

  it('stops reminding once everyone decided, and says nothing for closed submissions', () => {
    const h = atLegal();
    h.do('lee', { type: 'decide', decision: 'approved' });
    expect(due(h.state, '2026-03-09T00:00:00Z')).toEqual([]);
    h.do('ada', { type: 'forceApprove', reason: 'done' });
    expect(due(h.state, '2026-03-09T00:00:00Z')).toEqual([]);
    expect(h.do('ada', { type: 'tick' })).toEqual([]);
  });

  it('closes tasks as decisions land', () => {
    const h = atLegal();
    h.do('lee', { type: 'decide', decision: 'approved' });
    expect(h.effects).toContainEqual({
      type: 'closeTask',
      taskKey: 'sub-1/legal/1/lee',
      submissionId: 'sub-1',
      stageId: 'legal',
      outcome: 'approved',
    });
    expect(h.effects).toContainEqual(expect.objectContaining({ type: 'createTask', assignee: 'rita' }));
  });
});
