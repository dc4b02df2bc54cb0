import { launch, serveHarness } from './browser.js';
import { SPOKE, openHarness, pageErrors } from './page.js';
const { url, server } = await serveHarness();
const browser = await launch();
const page = await openHarness(browser, url);
page.setDefaultTimeout(20000);
try {
  await page.evaluate(async (spoke) => {
    const record = await window.hubspoke.hub.as(spoke).createDraft({ templateId: 'newsletter', name: 'May newsletter' });
    window.hubspoke.mount('editor', spoke, record.draft.id);
  }, SPOKE);
  await page.getByRole('button', { name: 'Article', exact: true }).click();
  const photo = page.locator('[data-slot="article/photo"]');
  await photo.getByRole('button', { name: 'Choose from the brand library' }).click();
  await photo.getByRole('radio', { name: /trail-spring/ }).click();
  await page.waitForTimeout(2000);
  await photo.screenshot({ path: '/tmp/dbg2.png' });
  console.log(await photo.innerHTML());
} catch (e) { console.log('ERR', e); }
console.log('errors', pageErrors(page));
await browser.close(); server.close();
