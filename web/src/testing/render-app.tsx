/** Renders the whole app on fakes of fetch and EventSource, at a route, optionally signed in. */
import type { ApiRole } from '@atc/contracts';
import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { App } from '../app/app';
import { saveSession } from '../session/session.storage';
import { FakeEventSource } from './fake-event-source';

interface RenderAppOptions {
  readonly fetch: typeof fetch;
  readonly route?: string;
  readonly signedInAs?: ApiRole;
}

function renderApp({ fetch, route = '/', signedInAs }: RenderAppOptions) {
  if (signedInAs) saveSession({ key: `atc_test_${signedInAs}`, role: signedInAs });
  // No retries: a test sees the first failure.
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const view = render(
    <MemoryRouter initialEntries={[route]}>
      <App fetch={fetch} createEventSource={FakeEventSource.create} queryClient={queryClient} />
    </MemoryRouter>,
  );
  return { ...view, queryClient };
}

export { renderApp };
