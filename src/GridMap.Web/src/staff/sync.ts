// Sends the outbox in the order the visits were made, each with the If-Match it was made against. Visits queued one
// after another on the same compound were all made against the same server state plus the user's own earlier visits,
// so once the first is accepted the next is sent with the ETag that first write produced (its own writes never
// conflict with each other). A 412 (someone else changed the compound meanwhile) marks the visit `conflict` and holds
// back the later visits of that compound until the user redoes it on the current state or discards it; any other
// refusal marks it `failed` with the server's reason. No answer (offline) stops the run: everything stays queued.
import { ApiError, humanMessage } from '../api/problem';
import { staffApi } from './staffApi';
import { outbox, type QueuedVisit } from './store';

export interface SyncReport {
  sent: number;
  /** True when the server could not be reached (the rest stays queued). */
  offline: boolean;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Who changed the compound when, from a 412's `lastChange` (user, at). */
function changedBy(body: Record<string, unknown>): string | null {
  const last = body.lastChange as Record<string, unknown> | undefined;
  if (!last) return null;
  const user = str(last.user) ?? str(last.userName) ?? '';
  const at = str(last.at);
  return `${user}${at ? ` ${new Date(at).toLocaleString('zh-CN', { hour12: false })}` : ''}`.trim() || null;
}

let running: Promise<SyncReport> | null = null;

/** Sends what is queued; concurrent calls share one run. `onProgress` is called after each visit changes state. */
export function syncOutbox(onProgress: () => void): Promise<SyncReport> {
  return (running ??= run(onProgress).finally(() => (running = null)));
}

async function run(onProgress: () => void): Promise<SyncReport> {
  let sent = 0;
  const items = await outbox.all();
  /** Per compound: the If-Match the user's earlier visits were made against → the ETag after they were accepted. */
  const rebased = new Map<number, { from: string | null; to: string | null }>();
  const held = new Set<number>();
  for (const item of items) {
    if (item.state === 'conflict') held.add(item.compoundId);
    if (item.state !== 'queued' || held.has(item.compoundId)) continue;
    const chain = rebased.get(item.compoundId);
    const ifMatch = chain && chain.from === item.ifMatch ? chain.to : item.ifMatch;
    try {
      if (item.visitId === undefined) {
        const r = await staffApi.recordVisit(item.compoundId, item.body, ifMatch, item.madeAt);
        item.visitId = r.value.visit.id;
        rebased.set(item.compoundId, { from: item.ifMatch, to: r.etag ?? r.value.compoundETag });
      }
      for (const [i, p] of [...item.photos.entries()].reverse()) {
        await staffApi.uploadPhoto(item.compoundId, item.visitId, p.blob);
        item.photos.splice(i, 1);
      }
      await outbox.remove(item.id!);
      sent++;
    } catch (e) {
      if (e instanceof ApiError && e.isTransport) {
        if (item.visitId !== undefined) await outbox.put(item); // recorded; photos still to go
        onProgress();
        return { sent, offline: true };
      }
      if (e instanceof ApiError && e.isStale) {
        item.state = 'conflict';
        item.currentETag = str(e.body.etag) ?? str((e.body.current as Record<string, unknown> | undefined)?.etag);
        item.changedBy = changedBy(e.body);
        held.add(item.compoundId);
      } else {
        item.state = 'failed';
      }
      item.error = humanMessage(e);
      await outbox.put(item);
    }
    onProgress();
  }
  return { sent, offline: false };
}

/** Redo a conflicting visit on the compound as it is now: the same answer, conditional on the current ETag. */
export async function redo(item: QueuedVisit, currentETag: string | null): Promise<void> {
  item.state = 'queued';
  item.ifMatch = currentETag;
  delete item.error;
  delete item.currentETag;
  delete item.changedBy;
  await outbox.put(item);
  // The later visits of this compound were made against the same old state: they follow this one's new base.
  for (const other of await outbox.all()) {
    if (other.id !== item.id && other.compoundId === item.compoundId && other.state === 'queued' && other.id! > item.id!) {
      other.ifMatch = currentETag;
      await outbox.put(other);
    }
  }
}

export const discard = (item: QueuedVisit): Promise<void> => outbox.remove(item.id!);
