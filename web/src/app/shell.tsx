import { NavLink, Outlet } from 'react-router';
import { useSession } from '../session/session.context';
import { useStreamStatus } from '../stream/stream.context';
import { VIEWS } from './views';

function StreamBanner() {
  const status = useStreamStatus();
  if (status !== 'reconnecting') return null;
  return (
    <div role="status" className="banner">
      Live stream disconnected — reconnecting…
    </div>
  );
}

/** The header (company, role, sign out), the nav to every view, the stream banner and the view. */
function Shell() {
  const { session, signOut } = useSession();
  return (
    <div className="shell">
      <header className="header">
        <span className="brand">atc · Autonomous Trading Company</span>
        <nav aria-label="Views">
          {VIEWS.map((view) => (
            <NavLink key={view.path} to={view.path} end={view.path === '/'}>
              {view.title}
            </NavLink>
          ))}
        </nav>
        <span className="who">
          Signed in as <strong data-testid="role">{session?.role}</strong>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <StreamBanner />
      <main className="view">
        <Outlet />
      </main>
    </div>
  );
}

export { Shell, StreamBanner };
