{{/* atc.dashboard.groups: the Secret groups the dashboard reads (it prices entries at every venue, so all venue groups; the exporter's read-only URL when given). */}}
{{- define "atc.dashboard.groups" -}}
{{- $groups := concat (list "database" "heartbeat" "jwt") (include "atc.secrets.venueGroups" . | fromJsonArray) }}
{{- if include "atc.secrets.provided" (dict "context" . "group" "readonly") }}
{{- $groups = append $groups "readonly" }}
{{- end }}
{{- $groups | toJson }}
{{- end }}

