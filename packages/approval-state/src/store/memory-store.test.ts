import { describeEventStore } from '../__fixtures__/store-conformance.js';
import { MemoryEventStore } from './memory-store.js';

describeEventStore('memory', () =>
  Promise.resolve({
    store: new MemoryEventStore(),
    fresh: () => Promise.resolve(new MemoryEventStore()),
    close: () => Promise.resolve(),
  }),
);
