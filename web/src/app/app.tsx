/**
 * The app: the query cache, the session, and — once signed in — the live stream and the routed views.
 * The router is the caller's (BrowserRouter in main.tsx, MemoryRouter in tests).
 * @module
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { OidcCallback } from '../session/oidc-callback';
import { CALLBACK_PATH } from '../session/pkce';
import { SessionProvider, useSession } from '../session/session.context';
import { SignIn } from '../session/sign-in';
import { type EventSourceLike } from '../stream/event-stream.store';
import { StreamProvider } from '../stream/stream.context';
import { Shell } from './shell';
import { ViewBoundary } from './view-boundary';
import { VIEWS } from './views';

interface AppProps {
  /** Tests pass fakes of the browser's fetch and EventSource. */
  readonly fetch?: typeof fetch;
  readonly createEventSource?: (url: string) => EventSourceLike;
  readonly queryClient?: QueryClient;
}

function newQueryClient(): QueryClient {
  // The stream invalidates what changes, so reads stay fresh without refetching on focus.
  return new QueryClient({
    defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 } },
  });
}

function SignedIn({ createEventSource, fetch: fetchImpl }: Pick<AppProps, 'createEventSource' | 'fetch'>) {
  const { session } = useSession();
  const { pathname } = useLocation();
  // The identity provider's redirect back: handled before (and whatever) the session.
  if (pathname === CALLBACK_PATH) return <OidcCallback />;
  if (!session) return <SignIn {...(fetchImpl ? { fetch: fetchImpl } : {})} />;
  return (
    // A new key is a new stream (its ticket carries the key's role).
    <StreamProvider key={session.key} {...(createEventSource ? { createEventSource } : {})}>
      <Routes>
        <Route element={<Shell />}>
          {VIEWS.map(({ path, title, component: View }) => (
            <Route
              key={path}
              path={path}
              element={
                <ViewBoundary label={title}>
                  <View />
                </ViewBoundary>
              }
            />
          ))}
          <Route path="*" element={<p>No such page.</p>} />
        </Route>
      </Routes>
    </StreamProvider>
  );
}

function App({ fetch: fetchImpl, createEventSource, queryClient }: AppProps) {
  const [client] = useState(() => queryClient ?? newQueryClient());
  return (
    <QueryClientProvider client={client}>
      <SessionProvider {...(fetchImpl ? { fetch: fetchImpl } : {})}>
        <SignedIn
          {...(createEventSource ? { createEventSource } : {})}
          {...(fetchImpl ? { fetch: fetchImpl } : {})}
        />
      </SessionProvider>
    </QueryClientProvider>
  );
}

export { App, type AppProps };
