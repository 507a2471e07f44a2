{{/* Names, labels and the image: shared by every template (and by K3's kill-switch-rbac.yaml). */}}

{{/* atc.name: the chart name, or nameOverride. */}}
{{- define "atc.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* atc.fullname: the prefix of every object's name (release name alone when it already contains the chart name). Kept to 40 characters so `-worker-roundtable` and CronJob Job suffixes still fit 63. */}}
{{- define "atc.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* atc.chart: chart name and version for the helm.sh/chart label. */}}
{{- define "atc.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* atc.selectorLabels: the labels that select the release's pods. Takes the root context, or dict "context" "component" to select one role's pods. */}}
{{- define "atc.selectorLabels" -}}
{{- $root := . }}
{{- $component := "" }}
{{- if hasKey . "context" }}
{{- $root = .context }}
{{- $component = .component | default "" }}
{{- end -}}
app.kubernetes.io/name: {{ include "atc.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
{{- if $component }}
app.kubernetes.io/component: {{ $component }}
{{- end }}
{{- end }}

{{/* atc.labels: the standard labels of every object of the release. Takes the root context, or dict "context" "component" (adds app.kubernetes.io/component). */}}
{{- define "atc.labels" -}}
{{- $root := . }}
{{- if hasKey . "context" }}
{{- $root = .context }}
{{- end -}}
helm.sh/chart: {{ include "atc.chart" $root }}
{{ include "atc.selectorLabels" . }}
app.kubernetes.io/version: {{ include "atc.version" $root | replace "+" "_" | replace ":" "_" | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/part-of: atc
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
{{- end }}

{{/* atc.componentLabels: standard labels plus the component; takes dict "context" "component". */}}
{{- define "atc.componentLabels" -}}
{{ include "atc.labels" . }}
{{- end }}

{{/* atc.componentName: `<fullname>-<component>`; takes dict "context" "component". */}}
{{- define "atc.componentName" -}}
{{- printf "%s-%s" (include "atc.fullname" .context) .component }}
{{- end }}

{{/* atc.version: the deployed version (image tag, else appVersion). */}}
{{- define "atc.version" -}}
{{- default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{/* atc.image: repository with the digest when set, else the tag (default appVersion). */}}
{{- define "atc.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (include "atc.version" .) }}
{{- end }}
{{- end }}

{{/* atc.killSwitch.selector: what the kill switch scales down (K8S_KILL_SWITCH_SELECTOR). */}}
{{- define "atc.killSwitch.selector" -}}
{{- printf "app.kubernetes.io/instance=%s,atc.trading/kill-switch=scale-down" .Release.Name }}
{{- end }}

{{/* atc.shutdown.timeoutMs: SHUTDOWN_TIMEOUT_MS, derived from shutdown.timeoutSeconds. */}}
{{- define "atc.shutdown.timeoutMs" -}}
{{- mul (int .Values.shutdown.timeoutSeconds) 1000 }}
{{- end }}

{{/* atc.shutdown.gracePeriodSeconds: terminationGracePeriodSeconds, the drain deadline plus a margin. */}}
{{- define "atc.shutdown.gracePeriodSeconds" -}}
{{- add (int .Values.shutdown.timeoutSeconds) (int .Values.shutdown.gracePeriodMarginSeconds) }}
{{- end }}

{{/* atc.simulator.active: "true" when the simulator runs (paper mode and simulator.enabled). */}}
{{- define "atc.simulator.active" -}}
{{- if and (eq .Values.trading.mode "paper") .Values.simulator.enabled }}true{{ end }}
{{- end }}

{{/* atc.simulator.url: the in-cluster URL of the simulator's venue APIs. */}}
{{- define "atc.simulator.url" -}}
{{- printf "http://%s-simulator:%d" (include "atc.fullname" .) (int .Values.simulator.port) }}
{{- end }}
