{{/* atc.workers.groups: the Secret groups of a worker (services/workers VENUES_OF_MARKET); takes the worker name. */}}
{{- define "atc.workers.groups" -}}
{{- $venues := dict "crypto" (list "jupiter" "solana") "options" (list "tradier") "futures" (list "nebula" "projectx") "roundtable" list }}
{{- concat (list "database") (index $venues .) | toJson }}
{{- end }}

{{/* atc.workers.args: the container args of a worker; takes the worker name. */}}
{{- define "atc.workers.args" -}}
{{- list "worker" . | toJson }}
{{- end }}

{{/* atc.workers.autoscaled: "true" when an HPA or a KEDA ScaledObject owns the replica count; takes the worker's values. */}}
{{- define "atc.workers.autoscaled" -}}
{{- if or .hpa.enabled .keda.enabled }}true{{ end }}
{{- end }}

{{/*
atc.workers.queueDepthQuery: KEDA's queue-depth query for a worker; takes the worker name. A market
worker claims queued steps of its market (atc.claim_steps); the roundtable worker claims the agent
step kinds of every market (atc.claim_agent_steps). Both count only steps already due (run_after).
*/}}
{{- define "atc.workers.queueDepthQuery" -}}
{{- if eq . "roundtable" -}}
select count(*) from atc.steps where status = 'queued' and run_after <= now() and kind in ('analyze', 'calculate_risk', 'roundtable')
{{- else -}}
select count(*) from atc.steps where market = '{{ . }}' and status = 'queued' and run_after <= now() and kind in ('close_position', 'execute_trade', 'monitor_position')
{{- end }}
{{- end }}
