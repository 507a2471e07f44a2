import { alertState, describeAlerts, type PrometheusAlert } from './prometheus-api';

const alert = (labels: Record<string, string>, state: PrometheusAlert['state']): PrometheusAlert => ({
  labels,
  annotations: {},
  state,
});

describe('alertState', () => {
  const alerts = [
    alert({ alertname: 'AtcVenueBreakerOpen', venue: 'tradier', severity: 'warning' }, 'firing'),
    alert({ alertname: 'AtcVenueBreakerOpen', venue: 'jupiter', severity: 'warning' }, 'pending'),
    alert({ alertname: 'AtcKillSwitchEngaged', scope: 'global' }, 'pending'),
    alert({ alertname: 'AtcKillSwitchEngaged', scope: 'crypto' }, 'firing'),
  ];

  it('reads the state of the alert with the given labels, the most advanced when several match', () => {
    expect(alertState(alerts, 'AtcVenueBreakerOpen', { venue: 'jupiter' })).toBe('pending');
    expect(alertState(alerts, 'AtcVenueBreakerOpen', { venue: 'tradier' })).toBe('firing');
    expect(alertState(alerts, 'AtcVenueBreakerOpen')).toBe('firing');
    expect(alertState(alerts, 'AtcKillSwitchEngaged', { scope: 'global' })).toBe('pending');
  });

  it('calls an alert that is not listed, or listed for other labels, inactive', () => {
    expect(alertState(alerts, 'AtcHeartbeatStale')).toBe('inactive');
    expect(alertState(alerts, 'AtcVenueBreakerOpen', { venue: 'nebula' })).toBe('inactive');
    expect(alertState([], 'AtcVenueBreakerOpen')).toBe('inactive');
  });

  it('describes an answer in one line for a failure report', () => {
    expect(describeAlerts(alerts.slice(0, 1))).toBe(
      'AtcVenueBreakerOpen{venue="tradier",severity="warning"} firing',
    );
    expect(describeAlerts([])).toBe('no active alerts');
  });
});
