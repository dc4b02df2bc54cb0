import { isHubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { optionalPeer } from './optional-peer.js';

describe('optionalPeer', () => {
  it('names the missing package, what needs it and how to install it', async () => {
    const name = 'hubspoke-no-such-package';
    const error = await optionalPeer(name, 'a PostgreSQL database', () => import(/* @vite-ignore */ name)).catch(
      (e: unknown) => e,
    );
    expect(isHubspokeError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'E_UNSUPPORTED',
      message: `a PostgreSQL database needs the package ${name}, which is not installed`,
      hint: `install it beside Hubspoke: npm install ${name}`,
    });
  });

  it('passes other failures through, and the module when it loads', async () => {
    await expect(optionalPeer('x', 'y', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(optionalPeer('node:path', 'y', () => import('node:path'))).resolves.toHaveProperty('join');
  });
});
