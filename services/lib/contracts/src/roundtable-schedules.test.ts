import { policySchemas } from './policies';
import { defaultRoundtableSchedules } from './roundtable-schedules';

describe('the roundtable policy’s schedules', () => {
  it('a policy stored before the schedules parses, with the designed defaults (Pacific)', () => {
    const parsed = policySchemas.roundtable.parse({ enabled: true, formats: ['morning_standup'] });
    expect(parsed.timeZone).toBe('America/Los_Angeles');
    expect(parsed.schedules).toEqual(defaultRoundtableSchedules);
    expect(parsed.debate).toEqual({ affinityThreshold: 0.4, cooldownMinutes: 1440 });
    expect(parsed.schedules.morning_standup).toMatchObject({ at: '06:30', days: 'trading' });
  });

  it('fills a schedule’s own defaults and keeps an explicit probability', () => {
    const parsed = policySchemas.roundtable.parse({
      enabled: true,
      formats: ['watercooler'],
      schedules: { watercooler: { at: '17:45', days: ['fri'], probability: 0.25 } },
    });
    expect(parsed.schedules).toEqual({
      watercooler: {
        at: '17:45',
        days: ['fri'],
        probability: 0.25,
        requiresOpenPositions: false,
        maxLatenessMinutes: 180,
      },
    });
  });

  it.each([
    ['a time that is not HH:MM', { schedules: { watercooler: { at: '6:30', days: 'daily' } } }],
    ['an hour past 23', { schedules: { watercooler: { at: '24:00', days: 'daily' } } }],
    ['an unknown weekday', { schedules: { watercooler: { at: '06:30', days: ['sunday'] } } }],
    ['a format a clock cannot schedule', { schedules: { debate: { at: '06:30', days: 'daily' } } }],
    ['a zone that is not IANA', { timeZone: 'Pacific' }],
    ['a threshold above 1', { debate: { affinityThreshold: 1.5 } }],
  ])('refuses %s', (_, patch) => {
    const result = policySchemas.roundtable.safeParse({ enabled: true, formats: ['watercooler'], ...patch });
    expect(result.success).toBe(false);
  });
});
