import { errorMessage, UnavailableError } from './errors';

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
