import { css } from 'lit';

/** Layout and controls of the editor and the review panel (on top of `tokens`). */
export const editorStyles = css`
  :host {
    display: block;
    background: var(--hs-canvas);
    min-height: 100%;
  }
  hs-module-list,
  hs-slot-field,
  hs-token-editor,
  hs-token-form,
  hs-preview {
    display: block;
    min-width: 0;
  }
  .tabs select,
  .row select {
    width: auto;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--hs-space-4);
    padding: var(--hs-space-4) var(--hs-space-5);
    background: var(--hs-surface);
    border-bottom: 1px solid var(--hs-line);
  }
  .bar .title {
    display: grid;
    gap: var(--hs-space-1);
  }
  .submit-area {
    display: grid;
    justify-items: end;
    gap: var(--hs-space-1);
    max-width: 420px;
  }
  .submit-reason {
    font-size: var(--hs-text-xs);
    color: var(--hs-danger);
    text-align: right;
  }
  .stages {
    display: flex;
    flex-wrap: wrap;
    gap: var(--hs-space-2);
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .stages li {
    display: flex;
    align-items: center;
    gap: var(--hs-space-1);
  }
  .stages li + li::before {
    content: '→';
    color: var(--hs-muted);
    margin-right: var(--hs-space-1);
  }
  .banner {
    margin: var(--hs-space-4) var(--hs-space-5) 0;
    padding: var(--hs-space-3) var(--hs-space-4);
    border-radius: var(--hs-radius);
    border: 1px solid var(--hs-line);
    background: var(--hs-surface);
  }
  .banner.warning {
    background: var(--hs-warning-soft);
    border-color: #e7c48a;
  }
  .banner.error {
    background: var(--hs-danger-soft);
    border-color: #f1b5ae;
  }
  .banner.ok {
    background: var(--hs-success-soft);
    border-color: #a6d5b5;
  }
  .tabs {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--hs-space-2);
    padding: var(--hs-space-4) var(--hs-space-5) 0;
  }
  [role='tablist'] {
    display: flex;
    gap: var(--hs-space-1);
  }
  [role='tab'] {
    border: 1px solid var(--hs-line);
    border-bottom: none;
    background: var(--hs-subtle);
    padding: var(--hs-space-2) var(--hs-space-4);
    border-radius: var(--hs-radius) var(--hs-radius) 0 0;
    cursor: pointer;
    font-weight: 600;
  }
  [role='tab'][aria-selected='true'] {
    background: var(--hs-surface);
    color: var(--hs-primary-strong);
    box-shadow: inset 0 3px 0 var(--hs-primary);
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(380px, 520px) minmax(0, 1fr);
    gap: var(--hs-space-5);
    padding: var(--hs-space-4) var(--hs-space-5) var(--hs-space-6);
    align-items: start;
  }
  .layout > *,
  .panel,
  .stack {
    min-width: 0;
  }
  @media (max-width: 1100px) {
    .layout {
      grid-template-columns: 1fr;
    }
  }
  .panel {
    background: var(--hs-surface);
    border: 1px solid var(--hs-line);
    border-radius: var(--hs-radius);
    padding: var(--hs-space-4);
    display: grid;
    gap: var(--hs-space-4);
  }
  .side {
    display: grid;
    gap: var(--hs-space-4);
    position: sticky;
    top: var(--hs-space-4);
  }
  .modules {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--hs-space-2);
  }
  .module-card {
    padding: var(--hs-space-2) var(--hs-space-3);
  }
  .module-card.hidden-module {
    background: var(--hs-canvas);
  }
  .module-card.drop-target {
    box-shadow: 0 -3px 0 var(--hs-primary);
  }
  .module-head {
    display: flex;
    align-items: center;
    gap: var(--hs-space-2);
    flex-wrap: wrap;
  }
  .grip {
    width: 16px;
    color: var(--hs-muted);
    cursor: grab;
    user-select: none;
  }
  .module-title {
    flex: 1;
    display: flex;
    align-items: center;
    gap: var(--hs-space-2);
    min-height: 36px;
    border: none;
    background: none;
    padding: 0;
    font-weight: 650;
    font-size: var(--hs-text-md);
    text-align: left;
    cursor: pointer;
  }
  .module-actions {
    margin-left: auto;
  }
  .module-body {
    display: grid;
    gap: var(--hs-space-4);
    padding: var(--hs-space-3) 0 var(--hs-space-2) var(--hs-space-5);
  }
  .fixed-reason {
    margin-left: var(--hs-space-5);
  }
  .menu-wrap {
    position: relative;
  }
  .menu {
    position: absolute;
    right: 0;
    top: calc(100% + 4px);
    z-index: 5;
    list-style: none;
    margin: 0;
    padding: var(--hs-space-1);
    min-width: 180px;
    box-shadow: 0 8px 24px rgb(16 24 40 / 16%);
  }
  .menu button {
    width: 100%;
    text-align: left;
    border: none;
    background: none;
    padding: var(--hs-space-2) var(--hs-space-3);
    border-radius: 6px;
    cursor: pointer;
  }
  .menu button:hover,
  .menu button:focus-visible {
    background: var(--hs-primary-soft);
  }
  .add-module {
    padding-top: var(--hs-space-2);
  }
  .add-module select {
    flex: 1;
    width: auto;
  }
  .slot {
    display: grid;
    gap: var(--hs-space-2);
    padding-left: var(--hs-space-3);
    border-left: 3px solid transparent;
  }
  .slot.has-error {
    border-left-color: var(--hs-danger);
  }
  .slot.focused {
    border-left-color: var(--hs-primary);
  }
  .slot-head {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--hs-space-2);
  }
  .counter {
    font-size: var(--hs-text-xs);
    color: var(--hs-muted);
    font-variant-numeric: tabular-nums;
  }
  .counter.over {
    color: var(--hs-danger);
    font-weight: 700;
  }
  .sublabel {
    font-size: var(--hs-text-xs);
    font-weight: 600;
    color: var(--hs-muted);
  }
  .pm {
    min-height: 36px;
    padding: var(--hs-space-2) var(--hs-space-3);
    border: 1px solid var(--hs-line-strong);
    border-radius: var(--hs-radius);
    background: var(--hs-surface);
    white-space: pre-wrap;
    word-wrap: break-word;
    outline: none;
  }
  .pm:focus {
    outline: 3px solid var(--hs-focus);
    outline-offset: 2px;
  }
  .pm.invalid {
    border-color: var(--hs-danger);
  }
  .pm[contenteditable='false'] {
    background: var(--hs-subtle);
    color: var(--hs-muted);
  }
  .pm p {
    margin: 0;
  }
  .rich .pm p + p,
  .rich .pm ul,
  .rich .pm ol {
    margin-top: var(--hs-space-2);
  }
  .rich .pm {
    min-height: 80px;
  }
  .chip {
    display: inline-block;
    padding: 0 var(--hs-space-2);
    margin: 0 1px;
    border-radius: 999px;
    background: var(--hs-primary-soft);
    color: var(--hs-primary-strong);
    border: 1px solid #9cc3eb;
    font-size: var(--hs-text-xs);
    font-weight: 600;
    line-height: 20px;
    cursor: pointer;
    white-space: nowrap;
  }
  .ProseMirror-selectednode.chip {
    outline: 2px solid var(--hs-focus);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--hs-space-1);
  }
  .tool[aria-pressed='true'] {
    background: var(--hs-primary-soft);
    border-color: var(--hs-primary);
    color: var(--hs-primary-strong);
  }
  .token-form {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: var(--hs-space-3);
    padding: var(--hs-space-3);
  }
  .token-form > .row,
  .token-form > .error-text {
    grid-column: 1 / -1;
  }
  .error-text {
    color: var(--hs-danger);
    font-weight: 600;
  }
  .policy {
    font-size: var(--hs-text-xs);
  }
  .policy.ok {
    color: var(--hs-success);
  }
  .policy.bad {
    color: var(--hs-danger);
    font-weight: 600;
  }
  .swatches {
    border: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: var(--hs-space-2);
  }
  .swatch {
    position: relative;
    display: grid;
    justify-items: center;
    gap: 2px;
    width: 64px;
    font-size: 11px;
    text-align: center;
    cursor: pointer;
  }
  .swatch input {
    position: absolute;
    opacity: 0;
    width: 40px;
    height: 40px;
    margin: 0;
    cursor: pointer;
  }
  .chipcolor {
    width: 40px;
    height: 40px;
    border-radius: 50%;
    border: 1px solid var(--hs-line-strong);
  }
  .swatch input:checked + .chipcolor {
    box-shadow:
      0 0 0 3px var(--hs-surface),
      0 0 0 5px var(--hs-ink);
  }
  .swatch input:focus-visible + .chipcolor {
    outline: 3px solid var(--hs-focus);
    outline-offset: 4px;
  }
  .switch {
    display: flex;
    align-items: center;
    gap: var(--hs-space-2);
  }
  .switch input {
    width: 20px;
    height: 20px;
    accent-color: var(--hs-primary);
  }
  .image-row {
    display: flex;
    gap: var(--hs-space-3);
    align-items: center;
  }
  .thumb {
    width: 96px;
    height: 72px;
    object-fit: cover;
    border-radius: 6px;
    border: 1px solid var(--hs-line);
    background: var(--hs-subtle);
    display: grid;
    place-items: center;
    font-size: var(--hs-text-xs);
    color: var(--hs-muted);
  }
  .library {
    border: 1px solid var(--hs-line);
    border-radius: var(--hs-radius);
    padding: var(--hs-space-3);
    display: grid;
    gap: var(--hs-space-2);
  }
  .library .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(130px, 1fr));
    gap: var(--hs-space-2);
  }
  .asset {
    display: grid;
    gap: 2px;
    padding: var(--hs-space-2);
    border: 1px solid var(--hs-line);
    border-radius: 6px;
    cursor: pointer;
    font-size: var(--hs-text-xs);
  }
  .asset img {
    width: 100%;
    height: 70px;
    object-fit: cover;
    background: var(--hs-subtle);
    border-radius: 4px;
  }
  .asset:has(input:checked) {
    border-color: var(--hs-primary);
    box-shadow: 0 0 0 2px var(--hs-primary-soft);
  }
  .plain {
    margin: 0;
    padding-left: var(--hs-space-4);
  }
  .findings {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--hs-space-2);
  }
  .findings:empty {
    display: none;
  }
  .finding {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--hs-space-2);
    padding: var(--hs-space-2) var(--hs-space-3);
    border-radius: 6px;
    background: var(--hs-canvas);
  }
  .finding.error {
    background: var(--hs-danger-soft);
  }
  .finding.warning {
    background: var(--hs-warning-soft);
  }
  .finding-text {
    flex: 1 1 200px;
  }
  .all-findings .finding-where {
    font-weight: 600;
  }
  .assist {
    display: grid;
    gap: var(--hs-space-2);
    justify-items: start;
  }
  .suggestions {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: var(--hs-space-2);
    width: 100%;
  }
  .suggestions li {
    display: flex;
    flex-wrap: wrap;
    gap: var(--hs-space-2);
    align-items: center;
    padding: var(--hs-space-2);
    border: 1px solid var(--hs-line);
    border-radius: 6px;
  }
  .suggestions li > span:first-child {
    flex: 1 1 160px;
  }
  .spinner.small {
    width: 16px;
    height: 16px;
    border-width: 2px;
  }
  .comments {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--hs-space-2);
  }
  .comment {
    padding: var(--hs-space-3);
    border: 1px solid #e0c48a;
    background: #fffaf0;
    border-radius: var(--hs-radius);
    display: grid;
    gap: var(--hs-space-1);
  }
  .comment > .badge {
    justify-self: start;
  }
  .comment.resolved {
    border-color: var(--hs-line);
    background: var(--hs-canvas);
  }
  .reply {
    padding-left: var(--hs-space-3);
    border-left: 2px solid var(--hs-line);
  }
  .preview-bar {
    justify-content: flex-start;
  }
  .preview-bar select {
    width: auto;
  }
  .segmented {
    display: inline-flex;
    border: 1px solid var(--hs-line-strong);
    border-radius: var(--hs-radius);
    padding: 2px;
    margin: 0;
  }
  .segmented label {
    display: inline-flex;
    align-items: center;
    gap: var(--hs-space-1);
    padding: 2px var(--hs-space-3);
    border-radius: 6px;
    cursor: pointer;
  }
  .segmented label:has(input:checked) {
    background: var(--hs-primary);
    color: #ffffff;
  }
  .segmented input {
    accent-color: var(--hs-primary);
  }
  .envelope {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: var(--hs-space-1) var(--hs-space-3);
    margin: 0;
  }
  .envelope dt {
    font-weight: 600;
    color: var(--hs-muted);
  }
  .envelope dd {
    margin: 0;
  }
  .frames {
    display: flex;
    flex-wrap: wrap;
    gap: var(--hs-space-4);
    align-items: start;
    overflow-x: auto;
  }
  .frames figure {
    margin: 0;
    display: grid;
    gap: var(--hs-space-1);
  }
  .frames figcaption {
    font-size: var(--hs-text-xs);
    color: var(--hs-muted);
    font-weight: 600;
  }
  iframe.email {
    border: 1px solid var(--hs-line);
    border-radius: 6px;
    background: #ffffff;
    height: 600px;
  }
  iframe.email[width='600'] {
    width: 600px;
  }
  iframe.email[width='375'] {
    width: 375px;
  }
  .translation {
    display: grid;
    gap: var(--hs-space-2);
  }
  .layout.single {
    grid-template-columns: 1fr;
  }
  .frames-pair {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(620px, 1fr));
    gap: var(--hs-space-4);
  }
  .inbox {
    margin: var(--hs-space-5);
  }
  table.diff {
    width: 100%;
    border-collapse: collapse;
  }
  table.diff th,
  table.diff td {
    text-align: left;
    vertical-align: top;
    padding: var(--hs-space-2);
    border-bottom: 1px solid var(--hs-line);
  }
  table.diff del {
    background: var(--hs-danger-soft);
    color: var(--hs-danger);
  }
  table.diff ins {
    background: var(--hs-success-soft);
    color: var(--hs-success);
    text-decoration: none;
  }
`;
