import { html, type TemplateResult } from 'lit';
import type { SubmissionView } from '../source/types.js';

const RESULT: Record<string, string> = {
  approved: 'approved',
  approvedWithChanges: 'approved with changes',
  changesRequired: 'changes requested',
  rejected: 'rejected',
  notRelevant: 'not relevant',
};

/** The review's stages in order, each with its state and due date. */
export function stageProgress(s: SubmissionView): TemplateResult {
  return html`<ol class="stages" aria-label="Review stages (round ${s.round})">
    ${s.stages.map((st) => {
      const state =
        st.status === 'complete'
          ? (RESULT[st.result ?? ''] ?? 'done')
          : st.status === 'active'
            ? 'in progress'
            : st.status;
      const tone =
        st.status === 'complete' ? (st.result === 'approved' ? 'ok' : 'warning') : st.status === 'active' ? 'info' : '';
      return html`<li>
        <span class="badge ${tone}">${st.name}: ${state}</span>
        ${
          st.status === 'active' && st.dueAt !== undefined
            ? html`<span class="muted small"
                >due ${new Date(st.dueAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}</span
              >`
            : ''
        }
        ${st.escalated ? html`<span class="badge error">escalated</span>` : ''}
      </li>`;
    })}
  </ol>`;
}
