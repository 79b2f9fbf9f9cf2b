// The staff view's IndexedDB (npm `idb`): the outbox of writes made offline or not yet confirmed — kept in the order
// they were made (auto-increment key) and across reloads — and a cache of what was last read (my cells, compounds
// with their ETags, households), so the view opens and records without a network.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Compound, Household, StaffWork, VisitBody } from './staffApi';

/** A visit waiting to be sent (`queued`), refused because the compound changed meanwhile (`conflict`, 412) or refused
 * for another reason (`failed`: 403, 422, 404…). Only the user removes a conflict or failure: nothing is dropped silently. */
export interface QueuedVisit {
  id?: number;
  compoundId: number;
  compoundName: string;
  householdLabel: string;
  body: VisitBody;
  /** The compound's ETag this visit was made against (null: none known, sent unconditionally). */
  ifMatch: string | null;
  madeAt: string;
  photos: { blob: Blob; name: string }[];
  state: 'queued' | 'conflict' | 'failed';
  /** Why it was refused (zh, from the server's ProblemDetails). */
  error?: string;
  /** For a conflict: the compound's current ETag and who changed it when (from the 412 body). */
  currentETag?: string | null;
  changedBy?: string | null;
  /** The visit is recorded; only photos are left to upload (the visit's id). */
  visitId?: number;
}

interface StaffDb extends DBSchema {
  outbox: { key: number; value: QueuedVisit };
  cache: { key: string; value: unknown };
}

let dbp: Promise<IDBPDatabase<StaffDb>> | null = null;
const db = () =>
  (dbp ??= openDB<StaffDb>('gridmap-staff', 1, {
    upgrade(d) {
      d.createObjectStore('outbox', { keyPath: 'id', autoIncrement: true });
      d.createObjectStore('cache');
    },
  }));

export const outbox = {
  async add(v: QueuedVisit): Promise<number> {
    return (await db()).add('outbox', v);
  },
  /** Everything in the outbox, oldest first. */
  async all(): Promise<QueuedVisit[]> {
    return (await db()).getAll('outbox');
  },
  async put(v: QueuedVisit): Promise<void> {
    await (await db()).put('outbox', v);
  },
  async remove(id: number): Promise<void> {
    await (await db()).delete('outbox', id);
  },
};

export interface CachedCompound {
  compound: Compound;
  etag: string | null;
  households: Household[];
  savedAt: string;
}

export const cache = {
  async work(): Promise<StaffWork | undefined> {
    return (await (await db()).get('cache', 'work')) as StaffWork | undefined;
  },
  async saveWork(w: StaffWork): Promise<void> {
    await (await db()).put('cache', w, 'work');
  },
  async compound(id: number): Promise<CachedCompound | undefined> {
    return (await (await db()).get('cache', `compound:${id}`)) as CachedCompound | undefined;
  },
  async saveCompound(c: CachedCompound): Promise<void> {
    await (await db()).put('cache', c, `compound:${c.compound.id}`);
  },
};
