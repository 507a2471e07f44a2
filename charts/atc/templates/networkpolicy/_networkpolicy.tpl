{{/* atc.networkPolicy.podSelector: selects the release's pods of the listed components; takes dict "context" "components". */}}
{{- define "atc.networkPolicy.podSelector" -}}
matchLabels:
  {{- include "atc.selectorLabels" .context | nindent 2 }}
matchExpressions:
  - key: app.kubernetes.io/component
    operator: In
    values:
      {{- toYaml .components | nindent 6 }}
{{- end }}

{{/* atc.networkPolicy.metadata: name and labels of one policy; takes dict "context" "name". */}}
{{- define "atc.networkPolicy.metadata" -}}
name: {{ include "atc.fullname" .context }}-{{ .name }}
labels:
  {{- include "atc.labels" .context | nindent 2 }}
{{- end }}

{{/* atc.networkPolicy.workerComponents: the enabled workers' component names (JSON list). */}}
{{- define "atc.networkPolicy.workerComponents" -}}
{{- $components := list }}
{{- range $name, $values := .Values.workers }}
{{- if $values.enabled }}{{ $components = append $components (printf "worker-%s" $name) }}{{ end }}
{{- end }}
{{- toJson $components }}
{{- end }}
