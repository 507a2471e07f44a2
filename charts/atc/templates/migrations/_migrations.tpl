{{/*
atc.migrations.hookAnnotations: with migrations.useHelmHooks, the Job and what it needs before the
release's own objects exist (its ServiceAccount, a values-rendered database Secret) are
pre-install/pre-upgrade hooks, created in weight order and deleted once the hooks succeeded;
takes dict "context" "weight".
*/}}
{{- define "atc.migrations.hookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end }}

{{/* atc.migrations.databaseGroup: the secret group whose DATABASE_URL the migrate Job uses: `migrator` (the schema owner's URL, docs/operations/database-roles.md) when it has a source, else `database` (the roles' URL). */}}
{{- define "atc.migrations.databaseGroup" -}}
{{- if include "atc.secrets.provided" (dict "context" . "group" "migrator") }}migrator{{ else }}database{{ end }}
{{- end }}

{{/* atc.migrations.databaseSecretName: the Secret the migrate Job reads DATABASE_URL from (a hook copy when the chart renders it from values). */}}
{{- define "atc.migrations.databaseSecretName" -}}
{{- $group := include "atc.migrations.databaseGroup" . }}
{{- if and .Values.migrations.useHelmHooks (include "atc.secrets.rendered" (dict "context" . "group" $group)) }}
{{- include "atc.componentName" (dict "context" . "component" "migrate") }}-{{ $group }}
{{- else }}
{{- include "atc.secrets.name" (dict "context" . "group" $group) }}
{{- end }}
{{- end }}
