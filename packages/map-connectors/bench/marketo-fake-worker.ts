/** Runs the Marketo fake in its own process, so the client under test does not share its CPU. */
import { FakeMarketo, type FakeMarketoOptions } from '../src/testkit/fakes/marketo.js';

const options = JSON.parse(process.argv[2] ?? '{}') as FakeMarketoOptions;
const fake = await new FakeMarketo(options).start();
process.send?.({ url: fake.url });
process.on('message', () => {
  void fake.close().then(() => {
    const arrivals = fake.requests.filter((r) => r.path.startsWith('/rest/')).map((r) => r.receivedAt);
    process.send?.({ arrivals, refused: fake.meter.refused, emails: fake.emails.size }, () => process.exit(0));
  });
});
