// The one ProblemDetails parser: every failed request — an RFC 7807 answer from the server, a non-JSON error page,
// or no answer at all — becomes an ApiError whose `message` is Chinese text for people (see messages.ts).
import { forbiddenMessage, message, messageFor } from './messages';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when no answer came (network down, timeout). */
    readonly status: number,
    /** Stable code: the ProblemDetails `rule` member, else a client code from messages.ts (network, timeout…). */
    readonly rule: string,
    /** The server's title and detail as sent ("中文 (English)"), for logs. */
    readonly title: string | null = null,
    readonly detail: string | null = null,
    /** What the request was doing (Chinese, 「发布方案」): a 403 names it. */
    readonly action?: string,
    /** The whole ProblemDetails body (a 412 carries `current`, `etag` and `lastChange`). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(status === 403 ? forbiddenMessage(rule, detail, action) : messageFor(rule, detail));
  }

  /** Not signed in (or the sign-in expired): the client sends the user to the sign-in page (session.ts). */
  get isUnauthenticated(): boolean {
    return this.status === 401 && this.rule === 'unauthenticated';
  }

  /** The resource changed since it was read (If-Match no longer current): reload and redo. */
  get isStale(): boolean {
    return this.status === 412;
  }

  /** True when the server never answered (so an offline fallback may apply). */
  get isTransport(): boolean {
    return this.status === 0;
  }
}

/** The code for an error answer that carries no `rule` member (a proxy's page, an older server). */
function codeForStatus(status: number): string {
  if (status === 400) return 'bad-request';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'too-many-attempts';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 412) return 'precondition-failed';
  if (status === 499) return 'cancelled';
  if (status === 503) return 'database-unavailable';
  if (status === 504 || status === 408) return 'timeout';
  if (status >= 500) return 'server-error';
  return 'http-error';
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Reads an error answer: `body` is the parsed JSON (ProblemDetails) or the raw text; `action` names what was refused. */
export function parseProblem(status: number, body: unknown, action?: string): ApiError {
  const p = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const e = new ApiError(status, str(p.rule) ?? codeForStatus(status), str(p.title), str(p.detail), action, p);
  console.warn(`GridMap API ${status} ${e.rule}: ${e.title ?? ''} ${e.detail ?? (typeof body === 'string' ? body.slice(0, 200) : '')}`);
  return e;
}

/**
 * A request that threw instead of answering: an abort by the caller is passed on unchanged (the caller asked for
 * it); a timeout or a network failure becomes an ApiError with status 0.
 */
export function transportError(e: unknown): unknown {
  if (e instanceof ApiError) return e;
  if (e instanceof DOMException && e.name === 'AbortError') return e;
  if (e instanceof DOMException && e.name === 'TimeoutError') return new ApiError(0, 'timeout');
  // openapi-fetch parses a success body itself: unreadable JSON lands here too
  if (e instanceof SyntaxError) return new ApiError(0, 'bad-response');
  console.warn('GridMap API request failed:', e);
  return new ApiError(0, typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : 'network');
}

export const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === 'AbortError';

/** The code of a failed dynamic import (a Vite chunk gone after a redeploy, or the network dropped meanwhile). */
export function isChunkLoadError(e: unknown): boolean {
  const text = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Unable to preload CSS|ChunkLoadError/i.test(text);
}

const CJK = /[\u3400-\u9fff]/;

/**
 * Chinese text for anything caught in a view: an ApiError says its own; a chunk load, a geolocation error or a
 * timeout reads from the table; an Error the client threw with Chinese text keeps it; anything else is logged
 * and shown as an unexpected error (never its English message).
 */
export function humanMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (isChunkLoadError(e)) return message('chunk-load');
  if (typeof GeolocationPositionError !== 'undefined' && e instanceof GeolocationPositionError) return geolocationMessage(e.code);
  if (e instanceof DOMException && e.name === 'TimeoutError') return message('timeout');
  if (e instanceof DOMException && (e.name === 'QuotaExceededError' || e.name === 'InvalidStateError' || e.name === 'UnknownError')) return message('storage-failed');
  if (e instanceof TypeError && /fetch|network/i.test(e.message)) return message('network');
  if (e instanceof Error && CJK.test(e.message)) return e.message;
  console.error('GridMap:', e);
  return message('unexpected');
}

/** GeolocationPositionError.code → Chinese (1 denied, 2 unavailable, 3 timeout). */
export function geolocationMessage(code: number): string {
  return message(code === 1 ? 'geolocation-denied' : code === 3 ? 'geolocation-timeout' : 'geolocation-unavailable');
}
