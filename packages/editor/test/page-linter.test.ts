import { isHubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { pageLinter } from '../src/model/worker-linter.js';
import { hubInfo, newsletter, NOW } from './fixtures/demo.js';

describe('pageLinter', () => {
  it('a linter that cannot be made and is never used is no unhandled rejection; lint() reports why', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const broken = { ...hubInfo, brandKit: undefined } as unknown as typeof hubInfo;
      pageLinter(newsletter(), broken, () => NOW); // never used
      const used = pageLinter(newsletter(), broken, () => NOW);
      const error: unknown = await used.lint({} as never, [], true).catch((e: unknown) => e);
      expect(isHubspokeError(error) && error.code).toBe('E_VALIDATION');
      // Unhandled rejections are reported after the microtask queue drains.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
