import type { Draft, SlotValue, Template } from '@hubspoke/core';
import { pieces } from './tokens.js';
import { slotValueIn, fieldValueIn } from './values.js';

/** One difference between two rounds of a draft, in the spoke's terms. */
export interface DiffRow {
  /** `Hero › Headline`, `Subject`, `Modules`. */
  where: string;
  locale?: string;
  instanceId?: string;
  slotId?: string;
  before: string;
  after: string;
}

/** A slot value as one line of text for the diff. */
export function describeValue(value: SlotValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'shown' : 'hidden';
  if ('src' in value) return `${value.alt ?? ''} (${value.src})`;
  return `${value.text} → ${value.href}`;
}

/**
 * What changed between two versions of a draft, slot by slot and locale by locale (values as
 * each locale shows them, fallbacks included), plus the subject, preheader and the module
 * arrangement.
 */
export function diffDrafts(
  template: Template,
  before: Draft,
  after: Draft,
  /** How a personalization token reads (chip labels, never braces); the source by default. */
  label: (source: string) => string = (source) => source,
): DiffRow[] {
  const rows: DiffRow[] = [];
  const readable = (text: string) =>
    pieces(text)
      .map((p) => (p.kind === 'text' ? p.text : `[${label(p.source)}]`))
      .join('');
  const arrangement = (d: Draft) =>
    d.modules
      .map(
        (m) => `${template.modules.find((x) => x.id === m.moduleId)?.name ?? m.moduleId}${m.hidden ? ' (hidden)' : ''}`,
      )
      .join(', ');
  if (arrangement(before) !== arrangement(after))
    rows.push({ where: 'Modules', before: arrangement(before), after: arrangement(after) });
  const locales = [...new Set([...Object.keys(before.content), ...Object.keys(after.content)])];
  for (const locale of locales) {
    for (const field of ['subject', 'preheader'] as const) {
      const a = before.content[locale] === undefined ? '' : fieldValueIn(template, before, locale, field).value;
      const b = after.content[locale] === undefined ? '' : fieldValueIn(template, after, locale, field).value;
      if (a !== b)
        rows.push({
          where: field === 'subject' ? 'Subject' : 'Preheader',
          locale,
          before: readable(a),
          after: readable(b),
        });
    }
    const instances = [...new Set([...before.modules, ...after.modules].map((m) => m.instanceId))];
    for (const instanceId of instances) {
      const moduleId = (
        after.modules.find((m) => m.instanceId === instanceId) ??
        before.modules.find((m) => m.instanceId === instanceId)
      )?.moduleId;
      const def = template.modules.find((m) => m.id === moduleId);
      if (!def) continue;
      const inBefore = before.modules.some((m) => m.instanceId === instanceId) && before.content[locale] !== undefined;
      const inAfter = after.modules.some((m) => m.instanceId === instanceId) && after.content[locale] !== undefined;
      for (const slot of def.slots) {
        const a = inBefore ? describeValue(slotValueIn(template, before, locale, instanceId, slot).value) : '';
        const b = inAfter ? describeValue(slotValueIn(template, after, locale, instanceId, slot).value) : '';
        if (a !== b)
          rows.push({
            where: `${def.name} › ${slot.label ?? slot.id}`,
            locale,
            instanceId,
            slotId: slot.id,
            before: readable(a),
            after: readable(b),
          });
      }
    }
  }
  return rows;
}

/** Word-level changes for showing a diff row: equal, removed and added runs. */
export function wordDiff(before: string, after: string): { op: '=' | '-' | '+'; text: string }[] {
  const a = before.split(/(\s+)/);
  const b = after.split(/(\s+)/);
  // Longest common subsequence over words (values are short: a few hundred words at most).
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i];
      if (!row) continue;
      row[j] = a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  const out: { op: '=' | '-' | '+'; text: string }[] = [];
  const push = (op: '=' | '-' | '+', text: string) => {
    const last = out[out.length - 1];
    if (last?.op === op) last.text += text;
    else out.push({ op, text });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push('=', a[i] ?? '');
      i++;
      j++;
    } else if ((lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0)) push('-', a[i++] ?? '');
    else push('+', b[j++] ?? '');
  }
  while (i < n) push('-', a[i++] ?? '');
  while (j < m) push('+', b[j++] ?? '');
  return out.filter((p) => p.text !== '');
}
