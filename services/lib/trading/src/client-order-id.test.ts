import { clientOrderId } from './client-order-id';

describe('clientOrderId', () => {
  const step = '6F9619FF-8B86-D011-B42D-00C04FC964FF';
  it('is deterministic per step and attempt, and venue-safe', () => {
    expect(clientOrderId(step, 2)).toBe('atc-6f9619ff-8b86-d011-b42d-00c04fc964ff-2');
    expect(clientOrderId(step, 2)).toBe(clientOrderId(step.toLowerCase(), 2));
    expect(clientOrderId(step, 3)).not.toBe(clientOrderId(step, 2));
    expect(clientOrderId(step, 2)).toMatch(/^[A-Za-z0-9-]{1,64}$/);
  });
  it('refuses ids that are not uuids and negative attempts', () => {
    expect(() => clientOrderId('x; drop table', 1)).toThrow(/not a uuid/);
    expect(() => clientOrderId(step, -1)).toThrow(/non-negative/);
  });
});
