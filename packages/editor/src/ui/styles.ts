import { css } from 'lit';

/**
 * The visual system, shared by every element: a type scale (12/14/16/20/26), a 4-px spacing
 * scale, one primary colour, secondary and quiet buttons, fields, badges, and the empty,
 * loading and error states. Colours meet WCAG 2.2 AA contrast on their backgrounds; focus is a
 * 3-px ring that never disappears. Themable through the `--hs-*` custom properties.
 */
export const tokens = css`
  :host {
    --hs-font: Inter, 'Segoe UI', system-ui, -apple-system, sans-serif;
    --hs-text-xs: 12px;
    --hs-text-sm: 14px;
    --hs-text-md: 16px;
    --hs-text-lg: 20px;
    --hs-text-xl: 26px;
    --hs-space-1: 4px;
    --hs-space-2: 8px;
    --hs-space-3: 12px;
    --hs-space-4: 16px;
    --hs-space-5: 24px;
    --hs-space-6: 32px;
    --hs-radius: 8px;
    --hs-ink: #17202b;
    --hs-muted: #4f5b69;
    --hs-line: #cfd6df;
    --hs-line-strong: #8a96a3;
    --hs-surface: #ffffff;
    --hs-canvas: #f3f5f8;
    --hs-subtle: #e9eef4;
    --hs-primary: #0b5cad;
    --hs-primary-strong: #08467f;
    --hs-primary-soft: #e4effa;
    --hs-danger: #b42318;
    --hs-danger-soft: #fdecea;
    --hs-warning: #8a5300;
    --hs-warning-soft: #fff4e0;
    --hs-success: #17703a;
    --hs-success-soft: #e6f4ea;
    --hs-focus: #1d6fe0;
    font-family: var(--hs-font);
    font-size: var(--hs-text-sm);
    line-height: 1.5;
    color: var(--hs-ink);
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 3px solid var(--hs-focus);
    outline-offset: 2px;
  }
  h1,
  h2,
  h3,
  h4 {
    margin: 0;
    line-height: 1.25;
  }
  h1 {
    font-size: var(--hs-text-xl);
    font-weight: 700;
  }
  h2 {
    font-size: var(--hs-text-lg);
    font-weight: 650;
  }
  h3 {
    font-size: var(--hs-text-md);
    font-weight: 650;
  }
  p {
    margin: 0;
  }
  .muted {
    color: var(--hs-muted);
  }
  .small {
    font-size: var(--hs-text-xs);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--hs-space-2);
    min-height: 36px;
    padding: 0 var(--hs-space-4);
    border: 1px solid var(--hs-line-strong);
    border-radius: var(--hs-radius);
    background: var(--hs-surface);
    color: var(--hs-ink);
    font-weight: 600;
    cursor: pointer;
    white-space: nowrap;
  }
  .btn:hover:not(:disabled) {
    background: var(--hs-subtle);
  }
  .btn.primary {
    background: var(--hs-primary);
    border-color: var(--hs-primary);
    color: #ffffff;
  }
  .btn.primary:hover:not(:disabled) {
    background: var(--hs-primary-strong);
  }
  .btn.danger {
    color: var(--hs-danger);
    border-color: var(--hs-danger);
  }
  .btn.quiet {
    border-color: transparent;
    background: transparent;
    color: var(--hs-primary);
    padding: 0 var(--hs-space-2);
  }
  .btn.quiet:hover:not(:disabled) {
    background: var(--hs-primary-soft);
  }
  .btn.small {
    min-height: 28px;
    padding: 0 var(--hs-space-3);
    font-size: var(--hs-text-xs);
  }
  .btn:disabled {
    cursor: not-allowed;
    background: var(--hs-subtle);
    border-color: var(--hs-line);
    color: var(--hs-muted);
  }
  .field {
    display: grid;
    gap: var(--hs-space-1);
  }
  .field > label,
  .label {
    font-weight: 600;
    display: flex;
    align-items: baseline;
    gap: var(--hs-space-2);
  }
  .required {
    color: var(--hs-danger);
    font-weight: 700;
  }
  input[type='text'],
  input[type='url'],
  input[type='search'],
  select,
  textarea {
    width: 100%;
    min-height: 36px;
    padding: var(--hs-space-2) var(--hs-space-3);
    border: 1px solid var(--hs-line-strong);
    border-radius: var(--hs-radius);
    background: var(--hs-surface);
  }
  input:disabled,
  textarea:disabled,
  select:disabled {
    background: var(--hs-subtle);
    color: var(--hs-muted);
  }
  .hint {
    font-size: var(--hs-text-xs);
    color: var(--hs-muted);
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: var(--hs-space-1);
    padding: 1px var(--hs-space-2);
    border-radius: 999px;
    font-size: var(--hs-text-xs);
    font-weight: 600;
    background: var(--hs-subtle);
    color: var(--hs-ink);
    white-space: nowrap;
  }
  .badge.error {
    background: var(--hs-danger-soft);
    color: var(--hs-danger);
  }
  .badge.warning {
    background: var(--hs-warning-soft);
    color: var(--hs-warning);
  }
  .badge.suggestion,
  .badge.info {
    background: var(--hs-primary-soft);
    color: var(--hs-primary-strong);
  }
  .badge.ok {
    background: var(--hs-success-soft);
    color: var(--hs-success);
  }
  .card {
    background: var(--hs-surface);
    border: 1px solid var(--hs-line);
    border-radius: var(--hs-radius);
  }
  .state {
    display: grid;
    justify-items: center;
    gap: var(--hs-space-3);
    padding: var(--hs-space-6) var(--hs-space-4);
    text-align: center;
    color: var(--hs-muted);
  }
  .state strong {
    color: var(--hs-ink);
    font-size: var(--hs-text-md);
  }
  .state.error strong {
    color: var(--hs-danger);
  }
  .spinner {
    width: 24px;
    height: 24px;
    border-radius: 50%;
    border: 3px solid var(--hs-line);
    border-top-color: var(--hs-primary);
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }
  .row {
    display: flex;
    align-items: center;
    gap: var(--hs-space-2);
    flex-wrap: wrap;
  }
  .stack {
    display: grid;
    gap: var(--hs-space-3);
  }
`;
