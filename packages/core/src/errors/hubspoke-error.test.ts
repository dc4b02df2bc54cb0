import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorCodes, isErrorCode } from './error-codes.js';
import { HubspokeError, isHubspokeError, toHubspokeError } from './hubspoke-error.js';

describe('HubspokeError', () => {
  it('carries a stable code, details, path, hint and cause', () => {
    const cause = new Error('socket hang up');
    const err = new HubspokeError('E_UPSTREAM', 'Marketo answered 502', {
      details: { status: 502 },
      path: 'connectors.marketo',
      hint: 'retry later',
      cause,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('HubspokeError');
    expect(err.code).toBe('E_UPSTREAM');
    expect(err.details).toEqual({ status: 502 });
    expect(err.path).toBe('connectors.marketo');
    expect(err.hint).toBe('retry later');
    expect(err.cause).toBe(cause);
    expect(err.toJSON()).toEqual({
      name: 'HubspokeError',
      code: 'E_UPSTREAM',
      message: 'Marketo answered 502',
      path: 'connectors.marketo',
      hint: 'retry later',
      details: { status: 502 },
      cause: { name: 'Error', message: 'socket hang up' },
    });
  });

  it('has every documented code', () => {
    expect(errorCodes).toEqual(
      expect.arrayContaining([
        'E_VALIDATION',
        'E_LOCKED',
        'E_FORBIDDEN',
        'E_CONFLICT',
        'E_NOT_FOUND',
        'E_RATE_LIMITED',
        'E_AUTH',
        'E_UPSTREAM',
        'E_UNSUPPORTED',
      ]),
    );
    for (const code of errorCodes) expect(ERROR_CODES[code].length).toBeGreaterThan(10);
    expect(isErrorCode('E_NOPE')).toBe(false);
  });

  it('is recognised across duplicate copies of core (Symbol.for marker, not instanceof)', () => {
    // A second copy of core defines its own class but marks instances with the same global symbol.
    class OtherCopyError extends Error {
      code = 'E_CONFLICT';
      constructor() {
        super('from another copy');
        Object.defineProperty(this, Symbol.for('hubspoke.error'), { value: true });
      }
    }
    const foreign = new OtherCopyError();
    expect(foreign instanceof HubspokeError).toBe(false);
    expect(isHubspokeError(foreign)).toBe(true);
    expect(HubspokeError.isInstance(foreign)).toBe(true);
    expect(isHubspokeError(foreign, 'E_CONFLICT')).toBe(true);
    expect(isHubspokeError(foreign, 'E_AUTH')).toBe(false);
  });

  it('rejects look-alikes without the marker or with an unknown code', () => {
    expect(isHubspokeError(Object.assign(new Error('x'), { code: 'E_VALIDATION' }))).toBe(false);
    const badCode = Object.defineProperty({ code: 'E_WHATEVER' }, Symbol.for('hubspoke.error'), { value: true });
    expect(isHubspokeError(badCode)).toBe(false);
    expect(isHubspokeError(null)).toBe(false);
    expect(isHubspokeError('E_VALIDATION')).toBe(false);
  });

  it('wraps unknown throwables, keeping HubspokeErrors as they are', () => {
    const original = new HubspokeError('E_AUTH', 'expired');
    expect(toHubspokeError(original)).toBe(original);
    const wrapped = toHubspokeError(new TypeError('x is undefined'));
    expect(wrapped.code).toBe('E_INTERNAL');
    expect(wrapped.message).toContain('x is undefined');
    expect(toHubspokeError('boom', 'E_UPSTREAM').code).toBe('E_UPSTREAM');
  });
});
