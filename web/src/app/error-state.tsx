import { ApiError } from '../api/api.client';

interface ErrorStateProps {
  readonly error: unknown;
  readonly onRetry: () => void;
}

/** A failed view: the API problem's title, detail and invalid fields, and a Retry. */
function ErrorState({ error, onRetry }: ErrorStateProps) {
  const problem = error instanceof ApiError ? error : null;
  const title = problem ? problem.title : 'Something went wrong';
  const detail = problem ? problem.detail : error instanceof Error ? error.message : String(error);
  return (
    <section role="alert" className="error-state">
      <h2>{title}</h2>
      {detail && <p>{detail}</p>}
      {problem && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((field) => (
            <li key={field.path}>
              <code>{field.path}</code>: {field.message}
            </li>
          ))}
        </ul>
      )}
      {problem?.requestId && <p className="muted">Request id {problem.requestId}</p>}
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    </section>
  );
}

export { ErrorState };
