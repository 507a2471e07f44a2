import { z } from 'zod';
import { markChecked, wasChecked } from './checked-bodies';

describe('checked bodies', () => {
  const Schema = z.object({ n: z.number() });
  const Other = z.object({ n: z.number() });

  it('knows a body its own schema parsed, and nothing else', () => {
    const body = markChecked(Schema.parse({ n: 1 }), Schema);
    expect(wasChecked(body, Schema)).toBe(true);
    expect(wasChecked(body, Other)).toBe(false);
    expect(wasChecked({ n: 1 }, Schema)).toBe(false);
    expect(wasChecked('text', Schema)).toBe(false);
    expect(markChecked('text', Schema)).toBe('text');
  });
});
