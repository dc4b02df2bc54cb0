/** Runs one vendor fake in its own process, so the client under test does not share its CPU. */
import { FakeAsana } from '../src/testkit/fakes/asana.js';
import { FakeBraze } from '../src/testkit/fakes/braze.js';
import { FakeHubSpot } from '../src/testkit/fakes/hubspot.js';
import { FakeMarketo } from '../src/testkit/fakes/marketo.js';
import type { FakeServer } from '../src/testkit/fake-server.js';

const [vendor = '', raw = '{}'] = process.argv.slice(2);
const limit = JSON.parse(raw) as { calls: number; windowMs: number; concurrency: number; latencyMs: number };

function start(): { fake: FakeServer; refused: () => number; created: () => number } {
  switch (vendor) {
    case 'marketo': {
      const fake = new FakeMarketo({
        callsPerWindow: limit.calls,
        windowMs: limit.windowMs,
        concurrency: limit.concurrency,
        latencyMs: limit.latencyMs,
      });
      return { fake, refused: () => fake.meter.refused, created: () => fake.emails.size };
    }
    case 'hubspot': {
      const fake = new FakeHubSpot('pat-na1-fake', { calls: limit.calls, windowMs: limit.windowMs });
      return { fake, refused: () => fake.meter.refused, created: () => fake.emails.size };
    }
    case 'braze': {
      const fake = new FakeBraze('braze-api-key', { requests: limit.calls, windowMs: limit.windowMs });
      return { fake, refused: () => fake.requests.length - fake.templates.size, created: () => fake.templates.size };
    }
    case 'asana': {
      const fake = new FakeAsana('asana-pat', 100, { calls: limit.calls, windowMs: limit.windowMs });
      return { fake, refused: () => fake.meter?.refused ?? 0, created: () => fake.tasks.size };
    }
    default:
      throw new Error(`no fake for ${vendor}`);
  }
}

const { fake, refused, created } = start();
await fake.start();
process.send?.({ url: fake.url });
process.on('message', () => {
  void fake.close().then(() => {
    // Token calls are not metered by the vendors (Marketo identity).
    const arrivals = fake.requests.filter((r) => !r.path.startsWith('/identity/')).map((r) => r.receivedAt);
    const violations = fake.violations.length;
    process.send?.({ arrivals, refused: refused(), created: created(), violations }, () => process.exit(0));
  });
});
