/**
 * Eight weeks of send results for both spring campaigns, as an ESP export would give them:
 * raw counts only. Engagement improves week by week; the numbers are made up but consistent.
 */
export function metricsCsv(): string {
  const header =
    'campaignId,date,region,locale,team,templateId,sent,delivered,hardBounces,softBounces,uniqueOpens,totalOpens,machineOpens,uniqueClicks,totalClicks,unsubscribes,complaints,conversions,revenue,cost,currency';
  const rows: string[] = [header];
  const campaigns = [
    {
      id: 'berlin-spring',
      region: 'EMEA',
      locale: 'de-DE',
      team: 'berlin',
      sent: 12000,
      open: 0.38,
      click: 0.026,
      conv: 0.004,
      aov: 120,
      cost: 900,
      currency: 'EUR',
    },
    {
      id: 'austin-spring',
      region: 'NA',
      locale: 'en-US',
      team: 'austin',
      sent: 15000,
      open: 0.41,
      click: 0.031,
      conv: 0.006,
      aov: 140,
      cost: 1100,
      currency: 'USD',
    },
  ];
  for (let week = 0; week < 8; week += 1) {
    const date = new Date(Date.UTC(2026, 3, 6 + week * 7)).toISOString().slice(0, 10);
    for (const c of campaigns) {
      const lift = 1 + week * 0.035;
      const hard = Math.round(c.sent * 0.006);
      const soft = Math.round(c.sent * 0.004);
      const delivered = c.sent - hard - soft;
      const uniqueOpens = Math.round(delivered * c.open * lift);
      const machineOpens = Math.round(uniqueOpens * 0.3);
      const uniqueClicks = Math.round(delivered * c.click * lift);
      const conversions = Math.round(delivered * c.conv * lift);
      const unsubscribes = Math.round(delivered * (0.0045 - week * 0.0002));
      rows.push(
        [
          c.id,
          date,
          c.region,
          c.locale,
          c.team,
          'seasonal-newsletter',
          c.sent,
          delivered,
          hard,
          soft,
          uniqueOpens,
          Math.round(uniqueOpens * 1.5),
          machineOpens,
          uniqueClicks,
          Math.round(uniqueClicks * 1.3),
          unsubscribes,
          2,
          conversions,
          conversions * c.aov,
          c.cost,
          c.currency,
        ].join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}
