import { ERROR_CODES, isErrorCode, type ErrorCode } from './error-codes.js';

const MARKER = Symbol.for('hubspoke.error');

export interface HubspokeErrorOptions {
  /** Structured, JSON-serializable facts about the failure (never secrets). */
  details?: Record<string, unknown>;
  /** The underlying error, if any. */
  cause?: unknown;
  /** Where the bad value is, as a dotted path like `brandKit.palette[2].hex`. */
  path?: string;
  /** One short sentence on what to do about it. */
  hint?: string;
}

/**
 * The one error family of Hubspoke. `code` is stable; `message` names the path of the
 * bad value. Use {@link isHubspokeError} rather than `instanceof`: it also recognises
 * errors thrown by another copy of `@hubspoke/core`.
 */
export class HubspokeError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly path: string | undefined;
  readonly hint: string | undefined;
  declare readonly [MARKER]: true;

  constructor(code: ErrorCode, message: string, options: HubspokeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HubspokeError';
    this.code = code;
    this.details = options.details ?? {};
    this.path = options.path;
    this.hint = options.hint;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** Works across duplicate copies of core (a `Symbol.for` marker, not `instanceof`). */
  static isInstance(value: unknown): value is HubspokeError {
    return isHubspokeError(value);
  }

  /** A plain object for logs and JSON output; the cause is summarised, not serialised whole. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    if (this.path !== undefined) json.path = this.path;
    if (this.hint !== undefined) json.hint = this.hint;
    if (Object.keys(this.details).length > 0) json.details = this.details;
    if (this.cause !== undefined) {
      json.cause =
        this.cause instanceof Error
          ? { name: this.cause.name, message: this.cause.message }
          : typeof this.cause === 'string'
            ? this.cause
            : typeof this.cause;
    }
    return json;
  }
}

export function isHubspokeError(value: unknown, code?: ErrorCode): value is HubspokeError {
  if (typeof value !== 'object' || value === null) return false;
  const marked = (value as Record<symbol, unknown>)[MARKER] === true;
  if (!marked || !isErrorCode((value as { code?: unknown }).code)) return false;
  return code === undefined || (value as { code: unknown }).code === code;
}

/**
 * Turns anything thrown into a HubspokeError, keeping one that already is.
 * Unknown failures become `E_INTERNAL` with the original as `cause`.
 */
export function toHubspokeError(value: unknown, fallback: ErrorCode = 'E_INTERNAL'): HubspokeError {
  if (isHubspokeError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new HubspokeError(fallback, `${ERROR_CODES[fallback]}: ${message}`, { cause: value });
}
