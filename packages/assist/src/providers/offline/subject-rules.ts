import { controlsBalanced, editAroundTokens, findTokens } from '../../text/tokens.js';
import type { SubjectVariantsTask, Tone } from '../../tasks/tasks.js';
import { headOf, textLength, visibleLength } from '../../text/text-length.js';

export interface RuleVariant {
  text: string;
  rationale: string;
}

type Phrasebook = Record<Tone, string[]>;

// `{t}` is the topic: the spoke's current subject, or the draft's headline.
const PHRASES: Record<string, Phrasebook> = {
  en: {
    neutral: ['New: {t}', 'Inside: {t}', '{t}: what you need to know', 'A closer look: {t}'],
    friendly: ['Good news: {t}', 'Just for you: {t}', "You'll like this: {t}"],
    urgent: ["Don't miss: {t}", 'Heads up: {t}', 'Time to act: {t}'],
    playful: ['Psst… {t}', 'Guess what? {t}', 'Ready? {t}'],
    formal: ['Announcement: {t}', 'For your attention: {t}', 'Update: {t}'],
  },
  de: {
    neutral: ['Neu: {t}', 'Im Überblick: {t}', 'Jetzt entdecken: {t}'],
    friendly: ['Gute Nachrichten: {t}', 'Für Sie: {t}'],
    urgent: ['Nicht verpassen: {t}', 'Jetzt handeln: {t}'],
    playful: ['Psst … {t}', 'Schon gehört? {t}'],
    formal: ['Mitteilung: {t}', 'Zur Information: {t}'],
  },
  fr: {
    neutral: ['Nouveau : {t}', "L'essentiel : {t}", 'À découvrir : {t}'],
    friendly: ['Bonne nouvelle : {t}', 'Pour vous : {t}'],
    urgent: ['À ne pas manquer : {t}', "C'est le moment : {t}"],
    playful: ['Psst… {t}', 'Devinez quoi ? {t}'],
    formal: ['Annonce : {t}', 'Pour information : {t}'],
  },
  es: {
    neutral: ['Novedad: {t}', 'Lo esencial: {t}', 'Descubre: {t}'],
    friendly: ['Buenas noticias: {t}', 'Para ti: {t}'],
    urgent: ['No te lo pierdas: {t}', 'Es el momento: {t}'],
    playful: ['Psst… {t}', '¿Sabías qué? {t}'],
    formal: ['Anuncio: {t}', 'Para su información: {t}'],
  },
};

const FILLER: Record<string, RegExp> = {
  en: /\b(?:just|really|very|actually|totally|simply)\s+/gi,
  de: /\b(?:wirklich|einfach|sehr|eigentlich)\s+/gi,
  fr: /\b(?:vraiment|très|simplement)\s+/gi,
  es: /\b(?:realmente|muy|simplemente)\s+/gi,
};

// Sentence starters that may be lower-cased after a name ("Anna, our sale…").
const STARTERS =
  /^(?:our|the|your|a|an|this|new|we|it's|unser|unsere|ihr|ihre|der|die|das|notre|nos|votre|le|la|les|nuestro|nuestra|tu|el|la|los)\b/i;

/**
 * Deterministic subject-line and preheader candidates. Subject lines wrap the topic in
 * phrase patterns for the tone (English, German, French, Spanish; other languages get only
 * the shortened and personalized forms). Preheaders come from the draft's own sentences.
 */
export function ruleVariants(task: SubjectVariantsTask): RuleVariant[] {
  const candidates = task.field === 'subject' ? subjectCandidates(task) : preheaderCandidates(task);
  const seen = new Set([...task.avoid, task.current ?? ''].map((t) => t.trim().toLowerCase()));
  const out: RuleVariant[] = [];
  for (const candidate of candidates) {
    const key = candidate.text.trim().toLowerCase();
    if (key === '' || seen.has(key) || visibleLength(candidate.text) > task.maxLength) continue;
    seen.add(key);
    out.push(candidate);
    if (out.length >= task.count) break;
  }
  return out;
}

function subjectCandidates(task: SubjectVariantsTask): RuleVariant[] {
  const source =
    [task.current, task.context.headline, task.context.subject].map((t) => t?.trim() ?? '').find((t) => t !== '') ?? '';
  if (source === '') return [];
  const topic = source.replace(/[.!?。！？]+$/u, '');
  const language = task.locale.slice(0, 2);
  const book = PHRASES[language];
  const out: RuleVariant[] = [];
  const from = task.current?.trim() ? 'the current subject' : 'the headline';
  if (book !== undefined) {
    // The requested tone first, then the others in turn.
    const others = (['neutral', 'friendly', 'formal', 'urgent', 'playful'] as const).filter((t) => t !== task.tone);
    const ordered = book[task.tone].map((p) => ({ p, tone: task.tone }));
    for (let i = 0; i < 4; i++)
      for (const tone of others) ordered.push(...book[tone].slice(i, i + 1).map((p) => ({ p, tone })));
    for (const { p, tone } of ordered)
      out.push({ text: p.replace('{t}', () => topic), rationale: `${tone} pattern "${p}" around ${from}` });
  }
  const shortened = shorten(topic, language);
  if (shortened !== topic) out.splice(1, 0, { text: shortened, rationale: `${from}, shortened` });
  // "Spring sale, {{ contact.firstName }}" → "{{ contact.firstName }}, spring sale": only a name that ends the topic after a comma.
  const name = findTokens(topic).at(-1);
  const before = name === undefined ? '' : topic.slice(0, name.start);
  if (name?.kind === 'output' && topic.slice(name.end).trim() === '' && /\S\s*,\s*$/.test(before)) {
    const rest = before.replace(/[\s,]+$/, '');
    if (controlsBalanced(rest))
      out.splice(1, 0, {
        text: `${name.text}, ${STARTERS.test(rest) ? rest.charAt(0).toLowerCase() + rest.slice(1) : rest}`,
        rationale: `${from} with the personalization token first`,
      });
  }
  return out.map((v) => ({ ...v, rationale: `Rule-based (offline, no AI): ${v.rationale}.` }));
}

/** The topic up to its first dash, colon or parenthesis, without filler words; tokens stay whole and blocks closed. */
function shorten(topic: string, language: string): string {
  const filler = FILLER[language];
  const short = editAroundTokens(topic, (masked) => {
    const head = masked.split(/\s+[—–-]\s+|:\s+|\s*\(/)[0] ?? masked;
    return (filler === undefined ? head : head.replace(filler, '')).trim();
  });
  return controlsBalanced(short) ? short : topic;
}

function preheaderCandidates(task: SubjectVariantsTask): RuleVariant[] {
  const sentences = (task.context.body ?? '')
    .split(/(?<=[.!?。！？])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const subject = task.context.subject?.trim().toLowerCase();
  const out: RuleVariant[] = [];
  const headline = task.context.headline?.trim();
  if (headline !== undefined && headline !== '' && headline.toLowerCase() !== subject) {
    const next = sentences[0];
    const joined = next === undefined ? headline : `${headline} · ${next}`;
    out.push({ text: fit(joined, task.maxLength), rationale: 'the headline and the first sentence of the body' });
  }
  sentences.slice(0, 6).forEach((sentence, i) => {
    out.push({ text: fit(sentence, task.maxLength), rationale: `sentence ${i + 1} of the body` });
  });
  if (task.current?.trim())
    out.push({
      text: fit(shorten(task.current.trim(), task.locale.slice(0, 2)), task.maxLength),
      rationale: 'the current preheader, shortened',
    });
  return out.map((v) => ({ ...v, rationale: `Rule-based (offline, no AI): ${v.rationale}.` }));
}

/**
 * Cuts at a word boundary with an ellipsis so the text fits `max` characters. A token is never
 * cut into (the cut moves before it), and a block left open by the cut is cut away too.
 */
export function fit(text: string, max: number): string {
  if (textLength(text) <= max) return text;
  let cut = headOf(text, Math.max(1, max - 1));
  const inside = findTokens(text).find((t) => t.start < cut.length && t.end > cut.length);
  if (inside !== undefined) cut = cut.slice(0, inside.start);
  const tokens = findTokens(cut);
  let space = cut.lastIndexOf(' ');
  while (space > 0 && tokens.some((t) => space > t.start && space < t.end)) space = cut.lastIndexOf(' ', space - 1);
  if (space > max / 2) cut = cut.slice(0, space);
  while (!controlsBalanced(cut)) {
    const last = findTokens(cut)
      .filter((t) => t.kind === 'control')
      .at(-1);
    if (last === undefined) break;
    cut = cut.slice(0, last.start);
  }
  return `${cut.replace(/[\s,;:.·–—-]+$/u, '')}…`;
}
