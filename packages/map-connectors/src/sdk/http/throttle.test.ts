import { describe, expect, it } from 'vitest';
import { KeyedSerializer, Throttle } from './throttle.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Throttle', () => {
  it('never has more than `concurrency` calls in flight', async () => {
    const throttle = new Throttle({ concurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const release = await throttle.acquire();
        peak = Math.max(peak, ++inFlight);
        await tick(5);
        inFlight--;
        release();
      }),
    );
    expect(peak).toBe(3);
  });

  it('admits at most `callsPerWindow` per rolling window, counted from when calls end', async () => {
    const throttle = new Throttle({ callsPerWindow: 5, windowMs: 60 });
    const starts: number[] = [];
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 15 }, async () => {
        const release = await throttle.acquire();
        starts.push(Date.now() - t0);
        release();
      }),
    );
    starts.sort((a, b) => a - b);
    for (let i = 5; i < starts.length; i++) expect(starts[i]! - starts[i - 5]!).toBeGreaterThanOrEqual(59);
  });

  it('holds every call while paused', async () => {
    const throttle = new Throttle();
    throttle.pauseUntil(Date.now() + 40);
    const t0 = Date.now();
    (await throttle.acquire())();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(35);
  });

  it('rejects a waiting call whose signal aborts, and lets the queue move on', async () => {
    const throttle = new Throttle({ concurrency: 1 });
    const release = await throttle.acquire();
    const controller = new AbortController();
    const waiting = throttle.acquire(controller.signal);
    const next = throttle.acquire();
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    (await next)();
    expect(throttle.waiting).toBe(0);
  });
});

describe('KeyedSerializer', () => {
  it('runs tasks with the same key one at a time and different keys together', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
    };
    await Promise.all([
      serializer.run('a', task('a1', 15)),
      serializer.run('a', task('a2', 1)),
      serializer.run('b', task('b1', 1)),
    ]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('keeps going after a failed task', async () => {
    const serializer = new KeyedSerializer();
    await expect(serializer.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(serializer.run('k', () => Promise.resolve(2))).resolves.toBe(2);
  });
});
