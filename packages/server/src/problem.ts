import { HubspokeError, isHubspokeError, type ErrorCode, type ValidationIssue } from '@hubspoke/core';
import { z } from '@hono/zod-openapi';

/** The HTTP status each error code answers with, unless the error names its own. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  E_VALIDATION: 400,
  E_LOCKED: 403,
  E_FORBIDDEN: 403,
  E_CONFLICT: 409,
  E_NOT_FOUND: 404,
  E_RATE_LIMITED: 429,
  E_AUTH: 401,
  E_UPSTREAM: 502,
  E_UNSUPPORTED: 422,
  E_TIMEOUT: 504,
  E_ABORTED: 400,
  E_INTERNAL: 500,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * A HubspokeError that also says which HTTP status it answers with, for the cases where the
 * code alone is ambiguous (a stale `If-Match` is `E_CONFLICT` but 412, a big body 413).
 */
export class HttpError extends HubspokeError {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: ConstructorParameters<typeof HubspokeError>[2] & { headers?: Record<string, string> } = {},
  ) {
    super(code, message, options);
    this.status = status;
    // Options may be anything a caller passes (HubspokeError's constructor reads them as safely).
    const headers: unknown = (options as { headers?: unknown } | null | undefined)?.headers;
    this.headers = typeof headers === 'object' && headers !== null ? (headers as Record<string, string>) : {};
  }
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:hubspoke:problem:E_LOCKED' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string().openapi({ description: 'The stable HubspokeError code', example: 'E_LOCKED' }),
    path: z
      .string()
      .optional()
      .openapi({ description: 'Where the bad value is', example: 'draft.modules[0].slots.legal' }),
    hint: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), pointer: z.string(), detail: z.string() }))
      .optional()
      .openapi({ description: 'One entry per bad value (validation errors)' }),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof ProblemSchema>;

/** `draft.modules[0].slots["a b"]` under label `draft` → `/modules/0/slots/a b` (JSON Pointer, RFC 6901). */
export function jsonPointer(path: string, label: string): string {
  const rest = path.startsWith(label) ? path.slice(label.length) : path;
  const parts: string[] = [];
  const re = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of rest.matchAll(re)) {
    const part = m[1] ?? m[2] ?? (JSON.parse(m[3] ?? '""') as string);
    parts.push(part.replace(/~/g, '~0').replace(/\//g, '~1'));
  }
  return parts.length === 0 ? '' : `/${parts.join('/')}`;
}

// Only these detail keys are shown to clients; the rest (causes, internals) stay in the logs.
const PUBLIC_DETAILS = new Set([
  'slot',
  'slots',
  'instanceId',
  'locale',
  'action',
  'resource',
  'expected',
  'actual',
  'etag',
  'retryAfterSeconds',
  'limit',
  'suggestions',
  'didYouMean',
  'scope',
  'required',
  'stage',
  'submissionId',
  'draftId',
  'id',
  // Why a state refuses a write (stale, approved, inReview, notApproved, …): the client acts on it.
  'reason',
]);

function publicDetails(details: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) if (PUBLIC_DETAILS.has(key)) out[key] = value;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Any thrown value as problem details: never a stack trace, never an internal message. */
export function toProblem(
  error: unknown,
  requestId?: string,
): { status: number; body: Problem; headers: Record<string, string> } {
  const known = isHubspokeError(error);
  const err = known ? error : new HubspokeError('E_INTERNAL', 'Something went wrong on the server');
  const status = error instanceof HttpError ? error.status : STATUS_BY_CODE[err.code];
  // An internal error's message may hold anything (SQL, file paths): say only that it happened.
  const detail = status >= 500 && err.code === 'E_INTERNAL' ? 'Something went wrong on the server' : err.message;
  const body: Problem = {
    type: `urn:hubspoke:problem:${err.code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code: err.code,
  };
  if (err.path !== undefined && status < 500) body.path = err.path;
  if (err.hint !== undefined && status < 500) body.hint = err.hint;
  if (requestId !== undefined) body.requestId = requestId;
  const issues = err.details.issues;
  const label = typeof err.details.label === 'string' ? err.details.label : '';
  if (err.code === 'E_VALIDATION' && Array.isArray(issues)) {
    body.errors = (issues as ValidationIssue[]).slice(0, 50).map((issue) => ({
      path: issue.path,
      pointer: jsonPointer(issue.path, label),
      detail: issue.message,
    }));
  }
  const details = status < 500 ? publicDetails(err.details) : undefined;
  if (details !== undefined) body.details = details;
  return { status, body, headers: error instanceof HttpError ? error.headers : {} };
}

export function problemResponse(error: unknown, requestId?: string): Response {
  const { status, body, headers } = toProblem(error, requestId);
  let text: string;
  try {
    text = JSON.stringify(body);
  } catch {
    // Details that cannot be written (a BigInt, a cycle) are left out rather than failing the response.
    text = JSON.stringify({ ...body, details: undefined });
  }
  return new Response(text, {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  });
}

/** OpenAPI responses for the given error statuses, all problem details. */
export function problems(
  ...statuses: number[]
): Record<number, { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }> {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: TITLES[s] ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } },
    ]),
  );
}
