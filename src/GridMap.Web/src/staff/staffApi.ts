// The staff view's calls of the campaign API, through the one API client (openapi-fetch over the generated types,
// api/client.ts `call`: one ProblemDetails parser, 401 → sign-in). Reads that the view caches for offline use, and the one
// write it queues: a visit (POST /api/compounds/{id}/visits, conditional on the compound's ETag) plus its photos. The
// outbox needs the response's ETag (to chain the next queued write of the same compound on it) and a 412's body (who
// changed the compound, its ETag now): `versioned` keeps the ETag header of the answer, and the ApiError `call` throws
// keeps the problem body. Every request has a timeout, so a phone on a dead network queues instead of hanging
// (status 0 = no answer: the outbox keeps the write and retries on reconnect).
import { call, client } from '../api/client';
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
const timeout = () => ({ signal: AbortSignal.timeout(TIMEOUT_MS) });
const compound = (id: number) => ({ params: { path: { id } } });

/** `call`, keeping the answer's ETag (the version a write against it must name in If-Match). */
async function versioned<Op extends Parameters<typeof call>[0], T>(
  operation: Op,
  request: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<Versioned<T>> {
  let etag: string | null = null;
  const value = await call(operation, request.then((a) => ((etag = a.response.headers.get('ETag')), a)));
  return { value: value as T, etag };
}

export const staffApi = {
  work: async (): Promise<StaffWork> => call('StaffWork', client.GET('/api/staff/work', timeout())),
  compound: (id: number): Promise<Versioned<Compound>> => versioned('Compound', client.GET('/api/compounds/{id}', { ...compound(id), ...timeout() })),
  /** The server's consent codes are the ConsentState values (the OpenAPI document types them as plain strings). */
  households: async (id: number): Promise<Household[]> =>
    (await call('CompoundHouseholds', client.GET('/api/compounds/{id}/households', { ...compound(id), ...timeout() }))).map((x) => ({ ...x, consent: x.consent as ConsentState })),
  /** 201 with the visit; the ETag header is the compound's after the write (when the server sends one). `visitedAt` is
   * when the visit was made on the phone (a visit queued offline keeps its own time, not the time it was sent). */
  recordVisit: (compoundId: number, body: VisitBody, ifMatch: string | null, visitedAt: string | null): Promise<Versioned<VisitResult>> =>
    versioned(
      'RecordVisit',
      client.POST('/api/compounds/{id}/visits', { ...compound(compoundId), body: { ...body, visitedAt }, headers: ifMatch ? { 'If-Match': ifMatch } : {}, ...timeout() }),
    ),
  /** The photo is the request body as is, its type the Content-Type (JPEG/PNG/WebP, ≤ 5 MB on the server too). The
   * operation declares no JSON body (it reads the raw stream), so the Blob is passed through unserialised. */
  uploadPhoto: (compoundId: number, visitId: number, photo: Blob): Promise<unknown> =>
    call(
      'AddVisitPhoto',
      client.POST('/api/compounds/{id}/visits/{visitId}/photos', {
        params: { path: { id: compoundId, visitId } },
        body: photo as never,
        bodySerializer: (b: unknown) => b as Blob,
        headers: { 'Content-Type': photo.type },
        ...timeout(),
      }),
    ),
};
