import type { AltTextTask } from '../../tasks/tasks.js';
import { controlsBalanced, editAroundTokens } from '../../text/tokens.js';
import { fit } from './subject-rules.js';

export interface RuleAltText {
  id: string;
  alt: string;
  rationale: string;
}

/**
 * Deterministic alt text: the file name's words when they say something (two or more
 * words, or one long word), else the module's heading. For languages other than English
 * the heading comes first, since file names are mostly English. Nothing when neither helps.
 */
export function ruleAltTexts(task: AltTextTask): RuleAltText[] {
  const english = task.locale.startsWith('en');
  return task.images.flatMap((image) => {
    const words = image.fileNameWords.trim();
    const fromName = words.split(' ').length >= 2 || words.length >= 6 ? words : '';
    // The first sentence, split outside tokens (a default may hold a full stop).
    const first = editAroundTokens(image.nearbyText ?? '', (t) => t.split(/\n|(?<=[.!?])\s/)[0]?.trim() ?? '');
    const heading = controlsBalanced(first) ? first : '';
    const choices = [
      { text: fromName, why: `the file name's words ("${words}")` },
      { text: heading, why: 'the heading of the same module' },
    ];
    if (!english) choices.reverse();
    const chosen = choices.find((c) => c.text !== '');
    if (chosen === undefined) return [];
    const alt = fit(chosen.text.charAt(0).toUpperCase() + chosen.text.slice(1), task.maxLength);
    return [
      {
        id: image.id,
        alt,
        rationale: `Rule-based (offline, no AI): from ${chosen.why}; check that it describes what the image shows.`,
      },
    ];
  });
}
