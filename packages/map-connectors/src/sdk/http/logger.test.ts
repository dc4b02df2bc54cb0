import { describe, expect, it } from 'vitest';
import { jsonLogger, memoryLogger, silentLogger } from './logger.js';

describe('loggers', () => {
  it('jsonLogger writes one JSON line per record at or above its level', () => {
    const lines: string[] = [];
    const log = jsonLogger('warn', (line) => lines.push(line));
    log({ level: 'info', event: 'x', connector: 'c', message: 'quiet' });
    log({ level: 'error', event: 'y', connector: 'c', message: 'loud' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', event: 'y', message: 'loud' });
  });
  it('memoryLogger keeps records; silentLogger drops them', () => {
    const log = memoryLogger();
    log({ level: 'debug', event: 'e', connector: 'c', message: 'm' });
    expect(log.records).toHaveLength(1);
    expect(() => {
      silentLogger({ level: 'debug', event: 'e', connector: 'c', message: 'm' });
    }).not.toThrow();
  });
});
