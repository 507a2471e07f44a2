/**
 * Each view's frame: a Suspense fallback while its code or first data load, and an error boundary
 * that shows the failure with a Retry, which clears react-query's errors and renders the view again.
 * @module
 */
import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { Component, type ErrorInfo, type ReactNode, Suspense } from 'react';
import { ErrorState } from './error-state';

interface BoundaryProps {
  readonly children: ReactNode;
  readonly onReset: () => void;
}

class ErrorBoundary extends Component<BoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(_error: unknown, _info: ErrorInfo): void {
    // The view shows the error; React already reports it to the console in development.
  }

  private readonly retry = () => {
    this.props.onReset();
    this.setState({ error: null });
  };

  override render() {
    if (this.state.error !== null) return <ErrorState error={this.state.error} onRetry={this.retry} />;
    return this.props.children;
  }
}

function Loading({ label }: { readonly label: string }) {
  return (
    <p role="status" aria-live="polite" className="muted">
      Loading {label}…
    </p>
  );
}

function ViewBoundary({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary onReset={reset}>
          <Suspense fallback={<Loading label={label} />}>{children}</Suspense>
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}

export { Loading, ViewBoundary };
