// Deterministic, realistic metrics rows for the benchmarks (no Math.random: every run reads the same data).
const REGIONS = ['EMEA', 'AMER', 'APAC', 'DACH', 'LATAM', 'NORDICS'];
const LOCALES = ['en', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP', 'pt-BR'];
const TEAMS = ['hq-brand', 'emea-marketing', 'amer-marketing', 'apac-marketing'];
const TEMPLATES = ['newsletter', 'promo', 'event', 'onboarding'];
const PLATFORMS = ['marketo', 'eloqua', 'sfmc', 'hubspot', 'braze'];
const DAY = 86_400_000;

/** One row as an NDJSON line (without the newline). */
export function rowLine(i: number): string {
  let seed = (i * 2654435761) >>> 0;
  const next = (n: number): number => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed % n;
  };
  const sent = 500 + next(5000);
  const hard = next(20);
  const soft = next(30);
  const delivered = sent - hard - soft;
  const opens = next(Math.floor(delivered * 0.5));
  const clicks = next(Math.max(1, Math.floor(opens * 0.3)));
  const row = {
    campaignId: `spring-campaign-${i % 50_000}`,
    date: new Date(Date.UTC(2026, 0, 1) + (i % 90) * DAY).toISOString().slice(0, 10),
    region: REGIONS[i % REGIONS.length],
    locale: LOCALES[next(LOCALES.length)],
    team: TEAMS[i % TEAMS.length],
    templateId: TEMPLATES[next(TEMPLATES.length)],
    variant: i % 2 === 0 ? 'A' : 'B',
    platform: PLATFORMS[next(PLATFORMS.length)],
    sent,
    hardBounces: hard,
    softBounces: soft,
    uniqueOpens: opens,
    totalOpens: opens + next(100),
    machineOpens: next(Math.max(1, Math.floor(opens * 0.4))),
    uniqueClicks: clicks,
    totalClicks: clicks + next(20),
    unsubscribes: next(5),
    complaints: next(2),
    conversions: next(Math.max(1, clicks)),
    revenue: next(100_000) / 100,
    cost: next(5_000) / 100,
    currency: 'EUR',
  };
  return JSON.stringify(row);
}

export const CSV_HEADER = Object.keys(JSON.parse(rowLine(0))).join(',');

export function csvLine(i: number): string {
  return Object.values(JSON.parse(rowLine(i))).join(',');
}
