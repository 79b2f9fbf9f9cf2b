// The manager dashboard's one statistics request: every unit of a level inside a scope, with the total, the open
// disputes, the units behind schedule and the completion timeline (GET /api/stats/progress?include=…).
import { call, client } from '../api/client';

export type Level = 'branch' | 'district' | 'street' | 'cell';

export const dashboardApi = {
  progress: (by: Level, within: string | null, signal?: AbortSignal) =>
    call(
      'ProgressStats',
      client.GET('/api/stats/progress', {
        params: { query: { by, include: 'disputes,behind,timeline', ...(within ? { within } : {}) } },
        signal,
      }),
    ),
};
