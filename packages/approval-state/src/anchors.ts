import { canonicalJson, type Draft } from '@hubspoke/core';
import { sha256 } from './audit/hash-chain.js';
import type { Anchor, AnchorIndex } from './events.js';

/** The key of an anchor in an {@link AnchorIndex}: `instanceId` or `instanceId/slotId/locale`. */
export function anchorKey(anchor: Anchor): string {
  return anchor.slotId === undefined
    ? anchor.instanceId
    : `${anchor.instanceId}/${anchor.slotId}/${anchor.locale ?? ''}`;
}

/** What a draft version offers comments to anchor on: its module instances and slot values (with a short value hash). */
export function anchorsOf(draft: Pick<Draft, 'modules' | 'content'>): AnchorIndex {
  const index: AnchorIndex = {};
  for (const m of draft.modules) index[m.instanceId] = '';
  for (const [locale, content] of Object.entries(draft.content)) {
    for (const [instanceId, slots] of Object.entries(content.slots)) {
      for (const [slotId, value] of Object.entries(slots))
        index[`${instanceId}/${slotId}/${locale}`] = sha256(canonicalJson(value)).slice(0, 16);
    }
  }
  return index;
}
