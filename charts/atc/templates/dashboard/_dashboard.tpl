{{/* atc.dashboard.groups: the Secret groups the dashboard reads (it prices entries at every venue, so all venue groups). */}}
{{- define "atc.dashboard.groups" -}}
{{- concat (list "database" "heartbeat" "jwt") (include "atc.secrets.venueGroups" . | fromJsonArray) | toJson }}
{{- end }}

