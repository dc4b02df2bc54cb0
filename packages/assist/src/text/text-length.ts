import { textWithoutData } from '@hubspoke/core';

/** Length as a person counts it, in Unicode code points (an accented letter or most emoji count once). */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The first `count` code points of `text`. */
export function headOf(text: string, count: number): string {
  return Array.from(text).slice(0, count).join('');
}

/** Length as a reader sees it: each personalization token counts as its fallback (as brand/subject-line counts). */
export function visibleLength(text: string): number {
  return textLength(textWithoutData(text));
}
