{{/*
templates/monitoring/ — the place for the observability objects (the observability issue fills it):

  servicemonitor.yaml   monitoring.serviceMonitor.enabled: a ServiceMonitor per role selecting the
                        Services' `admin` port (dashboard, simulator; the workers' headless Services),
                        path /metrics. The heartbeat is a CronJob and serves no port: its runs are in
                        atc.heartbeat_runs and the dashboard's metrics.
  prometheusrule.yaml   monitoring.prometheusRule.enabled: PrometheusRules with runbook_url annotations.
  grafana-dashboards.yaml
                        monitoring.grafanaDashboards.enabled: ConfigMaps labelled grafana_dashboard=1
                        from k8s/grafana (the Grafana sidecar loads them).

Until then, guard.yaml refuses the switches, so enabling one is never silently ignored.
*/}}
