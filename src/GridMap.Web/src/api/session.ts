// Who is signed in: sign-in (the server sets an HttpOnly, SameSite=Strict cookie that every API and tile request then
// carries), sign-out, and the current user for the header. Through the one client, so errors are ApiErrors.
import { call, client, type Body } from './client';

export type Me = Body<'Me'>;

const roleNames: Record<string, string> = { admin: '管理员', manager: '经理', planner: '规划员', staff: '网格员', crew: '抢修班组' };

/** Chinese name of a role (the code itself for one this client does not know). */
export const roleName = (role: string): string => roleNames[role] ?? role;

let current: Me | null = null;
let lastCheck = 0;
const listeners = new Set<(me: Me | null) => void>();

function set(me: Me | null) {
  current = me;
  listeners.forEach((l) => l(me));
}

export const session = {
  get user(): Me | null {
    return current;
  },
  /** Calls `listener` now and whenever the signed-in user changes. */
  subscribe(listener: (me: Me | null) => void): () => void {
    listeners.add(listener);
    listener(current);
    return () => listeners.delete(listener);
  },
  /** The signed-in user, asked of the server once (a 401 sends the user to the sign-in page, see client.ts). */
  async me(): Promise<Me> {
    if (current) return current;
    const me = await call('Me', client.GET('/api/auth/me'));
    set(me);
    return me;
  },
  /**
   * Something loaded outside the client failed (a tile, a GeoJSON layer): asks the server once whether the sign-in still
   * holds, so an expired one leads to the sign-in page (client.ts) instead of a map of failing tiles. At most one
   * question per 10 s however many tiles fail.
   */
  checkAfterFailure(): void {
    const now = Date.now();
    if (now - lastCheck < 10_000) return;
    lastCheck = now;
    call('Me', client.GET('/api/auth/me')).then(set, () => undefined);
  },
  async signIn(username: string, password: string): Promise<Me> {
    const r = await call('Login', client.POST('/api/auth/login', { body: { username, password } }));
    set(r.user);
    return r.user;
  },
  /** Removes the cookie; the user is forgotten even when the server cannot be reached. */
  async signOut(): Promise<void> {
    try {
      await call('Logout', client.POST('/api/auth/logout'));
    } finally {
      set(null);
    }
  },
  /** The server said 401: whoever we thought was signed in is not (any more). */
  forget(): void {
    set(null);
  },
};
