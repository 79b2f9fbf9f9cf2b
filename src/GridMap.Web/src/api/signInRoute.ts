// Where a request that is answered 401 `unauthenticated` sends the user: the sign-in page, remembering the view they
// were on (`#/login?next=%2Fplanner`) so signing in returns there. No imports: client.ts and the views both use it.

export const LOGIN_PATH = '/login';

/** The current route without the leading '#', e.g. "/planner" ("/" for none). */
export function currentRoute(): string {
  const hash = location.hash.replace(/^#/, '');
  return hash === '' ? '/' : hash.startsWith('/') ? hash : `/${hash}`;
}

export const onSignInPage = (): boolean => currentRoute().split('?')[0] === LOGIN_PATH;

/** Sends the user to the sign-in page once (further 401s while already there change nothing). */
export function goToSignIn(): void {
  if (onSignInPage()) return;
  const next = currentRoute();
  location.hash = `#${LOGIN_PATH}${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`;
}

/** The view to open after signing in: the `next` the sign-in page was given, if it is a route of this app. */
export function routeAfterSignIn(): string {
  const query = currentRoute().split('?')[1] ?? '';
  const next = new URLSearchParams(query).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith(LOGIN_PATH) ? next : '/';
}
