import { useEffect, useRef } from 'preact/hooks';
import { TokenButton, TokenDialog } from './components/token-dialog';
import { type LiveState, live } from './live/live-connection';
import { useLiveState } from './live/use-live';
import { ApprovalsPage } from './pages/approvals-page';
import { FailuresPage } from './pages/failures-page';
import { FlowAnalyticsPage } from './pages/flow-analytics-page';
import { FlowPage } from './pages/flow-page';
import { FlowsPage } from './pages/flows-page';
import { HealthPage } from './pages/health-page';
import { RunPage } from './pages/run-page';
import { RunsPage } from './pages/runs-page';
import { href, Link, matchRoute, type Route, useLocation } from './router';

const LIVE_TEXT = {
  connecting: 'connecting…',
  live: 'live',
  offline: 'polling',
} as const;

/** The frame of every page: skip link, navigation, live state, token control, and the page. */
export function App() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  const liveState = useLiveState();
  const first = useRef(true);

  useEffect(() => {
    // After an in-page navigation, move focus to the new page's heading, as a full page load would.
    if (first.current) {
      first.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [pathname]);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href={href('/runs')} class="brand">
          Baton
        </Link>
        <nav aria-label="Main">
          <ul>
            <NavLink to="/runs" current={route.page === 'runs' || route.page === 'run'}>
              Runs
            </NavLink>
            <NavLink to="/failures" current={route.page === 'failures'}>
              Failed
            </NavLink>
            <NavLink to="/approvals" current={route.page === 'approvals'}>
              Approvals
            </NavLink>
            <NavLink
              to="/flows"
              current={route.page === 'flows' || route.page === 'flow' || route.page === 'flow-analytics'}
            >
              Flows
            </NavLink>
            <NavLink to="/health" current={route.page === 'health'}>
              Health
            </NavLink>
          </ul>
        </nav>
        <div class="tools">
          <span class={`live live-${liveState}`} role="status" title={liveTitle(liveState)}>
            {LIVE_TEXT[liveState]}
          </span>
          <TokenButton />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
      <TokenDialog />
    </>
  );
}

/** What the live state means, as the indicator's tooltip. */
function liveTitle(state: LiveState): string {
  if (state !== 'live') return 'Live updates from /api/events; polling while it is down';
  if (live.backend !== 'redis') return 'Live updates from /api/events';
  return live.fleetWide
    ? 'Live updates of every process of the hub from /api/events'
    : 'Live updates of this gateway from /api/events; runs other workers move show at the next poll';
}

function NavLink({ to, current, children }: { to: string; current: boolean; children: string }) {
  return (
    <li>
      <Link href={href(to)} aria-current={current ? 'page' : undefined}>
        {children}
      </Link>
    </li>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'runs':
      return <RunsPage />;
    case 'run':
      return <RunPage key={route.id} id={route.id} />;
    case 'approvals':
      return <ApprovalsPage />;
    case 'failures':
      return <FailuresPage />;
    case 'flows':
      return <FlowsPage />;
    case 'flow':
      return <FlowPage key={route.id} id={route.id} />;
    case 'flow-analytics':
      return <FlowAnalyticsPage key={route.id} id={route.id} />;
    case 'health':
      return <HealthPage />;
    case 'not-found':
      return (
        <>
          <h1 tabIndex={-1}>Not found</h1>
          <p>
            There is no dashboard page at <code>{route.path}</code>.{' '}
            <Link href={href('/runs')}>See the runs</Link>.
          </p>
        </>
      );
  }
}
