import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** The dashboard's pages, by address under `/dashboard`. */
export type Route =
  | { page: 'runs' }
  | { page: 'run'; id: string }
  | { page: 'approvals' }
  | { page: 'failures' }
  | { page: 'flows' }
  | { page: 'flow'; id: string }
  | { page: 'flow-analytics'; id: string }
  | { page: 'health' }
  | { page: 'not-found'; path: string };

export const BASE = '/dashboard';

/** Reads the page from an address; `/dashboard` itself shows the runs. */
export function matchRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'runs')) return { page: 'runs' };
  if (parts.length === 2 && parts[0] === 'runs') return { page: 'run', id: parts[1]! };
  if (parts.length === 1 && parts[0] === 'approvals') return { page: 'approvals' };
  if (parts.length === 1 && parts[0] === 'failures') return { page: 'failures' };
  if (parts.length === 1 && parts[0] === 'flows') return { page: 'flows' };
  if (parts.length === 2 && parts[0] === 'flows') return { page: 'flow', id: parts[1]! };
  if (parts.length === 3 && parts[0] === 'flows' && parts[2] === 'analytics') {
    return { page: 'flow-analytics', id: parts[1]! };
  }
  if (parts.length === 1 && parts[0] === 'health') return { page: 'health' };
  return { page: 'not-found', path: pathname };
}

/** The address of a page, with an optional query. */
export function href(path: string, query?: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) params.set(key, value);
  const search = params.toString();
  return `${BASE}${path}${search ? `?${search}` : ''}`;
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

/** Goes to an address inside the dashboard without reloading. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

/** The current address, re-rendering on navigation. */
export function useLocation(): { pathname: string; query: URLSearchParams } {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return { pathname: location.pathname, query: new URLSearchParams(location.search) };
}

/**
 * A real link (it opens in a new tab with a modifier key or the middle
 * button, and is announced as a link) that navigates in place otherwise.
 */
export function Link(props: {
  href: string;
  children: ComponentChildren;
  class?: string | undefined;
  'aria-current'?: 'page' | undefined;
}) {
  const { href: to, children, ...rest } = props;
  return (
    <a
      {...rest}
      href={to}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0) return;
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
