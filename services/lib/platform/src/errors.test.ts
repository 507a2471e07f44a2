import {
  AtcError,
  AuthenticationError,
  ConflictError,
  errorMessage,
  httpStatusFor,
  InputError,
  NotAllowedError,
  NotFoundError,
  PermanentError,
  UnavailableError,
} from './errors';
import { BreakerOpenError, HttpStatusError, OutcomeUnknownError } from './resilience/http-errors';

describe('errorMessage', () => {
  it('never returns an empty message: a code stands in for it', () => {
    const refused = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(errorMessage(refused)).toBe('connection refused');
    const inner = new AggregateError([new Error('connect ECONNREFUSED ::1:1')], '');
    expect(errorMessage(inner)).toBe('connect ECONNREFUSED ::1:1');
    expect(errorMessage(new Error('plain'))).toBe('plain');
    expect(errorMessage('text')).toBe('text');
  });

  it('has an unavailable class for dependencies that cannot be reached', () => {
    expect(new UnavailableError('db down')).toMatchObject({ code: 'unavailable', name: 'UnavailableError' });
  });
});

describe('one hierarchy, one HTTP mapping', () => {
  it('roots the resilience errors in AtcError and keeps instanceof working', () => {
    const status = new HttpStatusError('tradier', 'quotes', 503, 'down', undefined);
    const unknown = new OutcomeUnknownError('tradier', 'place_order', { cause: status });
    const breaker = new BreakerOpenError('tradier');
    expect(status).toBeInstanceOf(AtcError);
    expect(status).toMatchObject({ name: 'HttpStatusError', code: 'venue_http_status', status: 503 });
    expect(unknown).toBeInstanceOf(AtcError);
    expect(unknown).not.toBeInstanceOf(PermanentError);
    expect(unknown).toMatchObject({ name: 'OutcomeUnknownError', code: 'outcome_unknown', cause: status });
    expect(breaker).toBeInstanceOf(UnavailableError);
    expect(breaker.name).toBe('BreakerOpenError');
  });

  it('maps every class to its status, subclasses included', () => {
    expect(httpStatusFor(new InputError('bad'))).toBe(400);
    expect(httpStatusFor(new AuthenticationError('who'))).toBe(401);
    expect(httpStatusFor(new NotAllowedError('no'))).toBe(403);
    expect(httpStatusFor(new NotFoundError('gone'))).toBe(404);
    expect(httpStatusFor(new ConflictError('dup'))).toBe(409);
    expect(httpStatusFor(new PermanentError('never'))).toBe(422);
    expect(httpStatusFor(new BreakerOpenError('tradier'))).toBe(503);
    expect(httpStatusFor(new OutcomeUnknownError('tradier', 'place_order', { cause: null }))).toBe(502);
    expect(httpStatusFor(new Error('bug'))).toBe(500);
  });
});
