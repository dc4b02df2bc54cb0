import { ERROR_CODES, isErrorCode, type ErrorCode } from './error-codes.js';

const MARKER = Symbol.for('hubspoke.error');

/**
 * The longest message an error keeps: a longer one (a message that quotes a huge input) is cut
 * to this many characters and says how many it left out, so a 10 MB name never makes a 10 MB error.
 */
export const MAX_MESSAGE_LENGTH = 4_096;

/** Text of a message given as anything (a symbol, a deep array), cut to {@link MAX_MESSAGE_LENGTH}. */
function messageText(message: unknown): string {
  let text: string;
  try {
    text = typeof message === 'string' ? message : String(message);
  } catch {
    text = `(a message that is ${Array.isArray(message) ? 'an array' : `a ${typeof message}`})`;
  }
  if (text.length <= MAX_MESSAGE_LENGTH) return text;
  const kept = MAX_MESSAGE_LENGTH - 40;
  return `${text.slice(0, kept)}… (${text.length - kept} more characters)`;
}

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
    const raw: unknown = options;
    const given: Partial<HubspokeErrorOptions> = typeof raw === 'object' && raw !== null ? raw : {};
    super(messageText(message), given.cause === undefined ? undefined : { cause: given.cause });
    this.name = 'HubspokeError';
    // An unknown code is a caller's bug: keep the error (it is still one of ours) as E_INTERNAL.
    this.code = isErrorCode(code) ? code : 'E_INTERNAL';
    const details: unknown = given.details;
    this.details =
      typeof details === 'object' && details !== null && !Array.isArray(details)
        ? (details as Record<string, unknown>)
        : {};
    this.path = typeof given.path === 'string' ? messageText(given.path) : undefined;
    this.hint = typeof given.hint === 'string' ? messageText(given.hint) : undefined;
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
  try {
    const marked = (value as Record<symbol, unknown>)[MARKER] === true;
    if (!marked || !isErrorCode((value as { code?: unknown }).code)) return false;
    return code === undefined || (value as { code: unknown }).code === code;
  } catch {
    // A proxy whose getters throw is not one of ours.
    return false;
  }
}

/**
 * Turns anything thrown into a HubspokeError, keeping one that already is.
 * Unknown failures become `E_INTERNAL` with the original as `cause`.
 */
export function toHubspokeError(value: unknown, fallback: ErrorCode = 'E_INTERNAL'): HubspokeError {
  if (isHubspokeError(value)) return value;
  // A fallback that is not a code (any hostile value) is read as E_INTERNAL, never stringified.
  if (typeof fallback !== 'string' || !Object.hasOwn(ERROR_CODES, fallback)) fallback = 'E_INTERNAL';
  let message: string;
  try {
    message = value instanceof Error ? value.message : String(value);
    // A thrown 10 MB string is quoted as an excerpt (the whole value stays the cause).
    if (typeof message !== 'string') message = `a thrown ${typeof value}`;
    else if (message.length > 2_000) message = `${message.slice(0, 2_000)}… (${message.length} characters)`;
  } catch {
    message = `a thrown ${typeof value}`;
  }
  return new HubspokeError(fallback, `${ERROR_CODES[fallback]}: ${message}`, { cause: value });
}
