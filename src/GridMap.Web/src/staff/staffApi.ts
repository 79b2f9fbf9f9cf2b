// The staff view's calls of the campaign API. Reads that the view caches for offline use, and the one write it
// queues: a visit (POST /api/compounds/{id}/visits, conditional on the compound's ETag) plus its photos. A write needs
// the response's ETag (to chain the next queued write of the same compound on it) and a 412's body (the compound as it
// is now), so these go through `send`, which returns headers as well as the body; errors are the one ApiError of
// problem.ts (status 0 = no answer: the outbox keeps the write and retries on reconnect).
import { goToSignIn } from '../api/signInRoute';
import { parseProblem, transportError } from '../api/problem';
import type { Outcome } from './labels';

export type Answer = 'agree' | 'disagree' | 'undecided' | 'absent';
export type ConsentState = Answer | 'none';

export interface Household {
  id: number;
  building: string;
  unit: string;
  room: string;
  floor?: number | null;
  areaM2: number;
  consent: ConsentState;
  lastVisitAt?: string | null;
  [k: string]: unknown;
}

export interface CompoundConsent {
  participationByArea: number;
  participationByCount: number;
  agreementByArea: number;
  agreementByCount: number;
  voteRuleMet: boolean;
  blockedUnits: unknown[];
}

export interface Compound {
  id: number;
  name: string;
  stage?: string;
  consent?: CompoundConsent;
  households?: number;
  cellCode?: string | null;
  [k: string]: unknown;
}

/** A compound as read, with the entity tag a write against it must carry in If-Match. */
export interface Versioned<T> {
  value: T;
  etag: string | null;
}

export interface WorkCompound {
  id: number;
  name: string;
  stage: string;
  households: number;
  /** Households never visited (no answer recorded yet). */
  notVisited: number;
  followUpDue?: string | null;
  followUpOverdue?: boolean;
}

export interface WorkCell {
  code: string;
  name: string;
  compounds: WorkCompound[];
}

/** What the signed-in staff member works on: their cells and the compounds in them. */
export interface StaffWork {
  staffName: string | null;
  cells: WorkCell[];
}

export interface VisitBody {
  householdId: number | null;
  outcome: Outcome;
  /** The household's answer; null for a compound-wide (publicity) visit. */
  consent: Answer | null;
  notes: string;
}

/** 201 of POST /api/compounds/{id}/visits: the visit, the compound's consents now and its ETag after the write. */
export interface VisitResult {
  visit: { id: number; [k: string]: unknown };
  compoundETag: string;
  [k: string]: unknown;
}

const TIMEOUT_MS = 15_000;

async function send<T>(method: string, path: string, init: { body?: BodyInit; json?: unknown; ifMatch?: string | null; contentType?: string } = {}): Promise<Versioned<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.json !== undefined) headers['Content-Type'] = 'application/json';
  else if (init.contentType) headers['Content-Type'] = init.contentType;
  if (init.ifMatch) headers['If-Match'] = init.ifMatch;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw transportError(e);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: kept as text for the error */
  }
  if (!res.ok) {
    const e = parseProblem(res.status, body, '记录走访');
    if (e.isUnauthenticated) goToSignIn();
    throw e;
  }
  return { value: body as T, etag: res.headers.get('ETag') };
}

export const staffApi = {
  work: async () => (await send<StaffWork>('GET', '/api/staff/work')).value,
  compound: (id: number) => send<Compound>('GET', `/api/compounds/${id}`),
  households: async (id: number) => (await send<Household[]>('GET', `/api/compounds/${id}/households`)).value,
  /** 201 with the visit; the ETag header is the compound's after the write (when the server sends one). */
  recordVisit: (compoundId: number, body: VisitBody, ifMatch: string | null) =>
    send<VisitResult>('POST', `/api/compounds/${compoundId}/visits`, { json: body, ifMatch }),
  /** The photo is the request body, its type the Content-Type (JPEG/PNG/WebP, ≤ 5 MB on the server too). */
  uploadPhoto: (compoundId: number, visitId: number, photo: Blob) =>
    send<unknown>('POST', `/api/compounds/${compoundId}/visits/${visitId}/photos`, { body: photo, contentType: photo.type }),
};
