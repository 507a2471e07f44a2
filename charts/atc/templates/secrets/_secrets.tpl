{{/*
Secret groups. Each group is one Secret whose keys are environment variable names, consumed with
envFrom: the name is `existingSecret`, else `<fullname>-<group>` (rendered by the chart when
secrets.create=true, or by an ExternalSecret when the group is listed in secrets.externalSecrets.groups).
*/}}

{{/* atc.secrets.keys: group → the variables it holds (JSON). */}}
{{- define "atc.secrets.keys" -}}
{{- dict
  "database" (list "DATABASE_URL")
  "migrator" (list "DATABASE_URL")
  "readonly" (list "EXPORTER_DATABASE_URL")
  "heartbeat" (list "HEARTBEAT_TOKEN" "HEARTBEAT_TOKEN_PREVIOUS")
  "jwt" (list "AUTH_JWT_SECRET" "AUTH_JWT_JWKS_URL")
  "jupiter" (list "JUPITER_API_KEY")
  "solana" (list "SOLANA_RPC_URL" "SOLANA_WALLET_SECRET")
  "tradier" (list "TRADIER_ACCESS_TOKEN" "TRADIER_ACCOUNT_ID")
  "nebula" (list "NEBULA_WEBHOOK_KEY" "NEBULA_ACCOUNT")
  "projectx" (list "PROJECTX_USERNAME" "PROJECTX_API_KEY" "PROJECTX_ACCOUNT_ID")
  "anthropic" (list "ANTHROPIC_API_KEY")
  | toJson }}
{{- end }}

{{/* atc.secrets.venueGroups: the venue credential groups, in the order fail messages list them (JSON list). */}}
{{- define "atc.secrets.venueGroups" -}}
{{- list "jupiter" "solana" "tradier" "nebula" "projectx" "anthropic" | toJson }}
{{- end }}

{{/* atc.secrets.name: the Secret a group is read from; takes dict "context" "group". */}}
{{- define "atc.secrets.name" -}}
{{- $group := index .context.Values.secrets .group }}
{{- $group.existingSecret | default (printf "%s-%s" (include "atc.fullname" .context) .group) }}
{{- end }}

{{/* atc.secrets.external: "true" when an ExternalSecret fills the group; takes dict "context" "group". */}}
{{- define "atc.secrets.external" -}}
{{- $external := .context.Values.secrets.externalSecrets }}
{{- if and $external.enabled (hasKey $external.groups .group) }}true{{ end }}
{{- end }}

{{/* atc.secrets.rendered: "true" when the chart renders the group's Secret from values (secrets.create, no existingSecret, no ExternalSecret, some value set); takes dict "context" "group". */}}
{{- define "atc.secrets.rendered" -}}
{{- $group := index .context.Values.secrets .group }}
{{- if and .context.Values.secrets.create (not $group.existingSecret) (not (include "atc.secrets.external" .)) }}
{{- range $key, $value := $group.values }}{{ if $value }}true{{ end }}{{ end }}
{{- end }}
{{- end }}

{{/* atc.secrets.provided: "true" when the group has a source (existingSecret, an ExternalSecret, or every value with secrets.create); takes dict "context" "group". */}}
{{- define "atc.secrets.provided" -}}
{{- $group := index .context.Values.secrets .group }}
{{- $keys := index (include "atc.secrets.keys" . | fromJson) .group }}
{{- $complete := true }}
{{- range $keys }}
{{- if not (index $group.values .) }}{{ $complete = false }}{{ end }}
{{- end }}
{{- if or $group.existingSecret (include "atc.secrets.external" .) (and .context.Values.secrets.create $complete) }}true{{ end }}
{{- end }}

{{/*
atc.secrets.optional: "true" when pods may start without the group's Secret: the database never;
a venue only in paper mode (the simulator's placeholders apply); the heartbeat token and JWT always
(unset: `POST /api/heartbeat` is refused, JWT is off). Takes dict "context" "group".
*/}}
{{- define "atc.secrets.optional" -}}
{{- if eq .group "database" }}false
{{- else if has .group (include "atc.secrets.venueGroups" . | fromJsonArray) }}{{ eq .context.Values.trading.mode "paper" }}
{{- else }}true
{{- end }}
{{- end }}

{{/* atc.secrets.validate: stops rendering with a clear message when live mode lacks a venue Secret or the database has no source it can check. */}}
{{- define "atc.secrets.validate" -}}
{{- if eq .Values.trading.mode "live" }}
{{- $missing := list }}
{{- range (include "atc.secrets.venueGroups" . | fromJsonArray) }}
{{- if not (include "atc.secrets.provided" (dict "context" $ "group" .)) }}
{{- $missing = append $missing (printf "secrets.%s.existingSecret" .) }}
{{- end }}
{{- end }}
{{- if $missing }}
{{- fail (printf "trading.mode=live needs every venue's credentials (the heartbeat and the dashboard load all of them): set %s (a Secret whose keys are the variable names), list the group in secrets.externalSecrets.groups, or set secrets.create=true with every value of the group" (join ", " $missing)) }}
{{- end }}
{{- end }}
{{- range $name, $worker := .Values.workers }}
{{- if and $worker.hpa.enabled $worker.keda.enabled }}
{{- fail (printf "workers.%s: hpa.enabled and keda.enabled are exclusive (KEDA manages its own HorizontalPodAutoscaler); enable one" $name) }}
{{- end }}
{{- end }}
{{- end }}
