{{/*
Pod and container pieces every role shares: security contexts, the /tmp emptyDir, environment
(the shared ConfigMap, then the role's Secret groups, then the role's own env), probes and
placement. Helpers taking a dict expect "context" (the root) plus the keys named in their comment.
*/}}

{{/* atc.pod.securityContext: non-root numeric user of the image (10001), seccomp RuntimeDefault. */}}
{{- define "atc.pod.securityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* atc.container.securityContext: read-only root, no privilege escalation, every capability dropped. */}}
{{- define "atc.container.securityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* atc.pod.volumes: the only writable place, an emptyDir at /tmp (ATC_HOME lives under it). */}}
{{- define "atc.pod.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end }}

{{/* atc.container.volumeMounts: mounts the /tmp emptyDir. */}}
{{- define "atc.container.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* atc.container.envFrom: the shared ConfigMap, then the Secret of each group; takes dict "context" "groups" (list of group names). */}}
{{- define "atc.container.envFrom" -}}
- configMapRef:
    name: {{ include "atc.fullname" .context }}-config
{{- range .groups }}
- secretRef:
    name: {{ include "atc.secrets.name" (dict "context" $.context "group" .) }}
    optional: {{ include "atc.secrets.optional" (dict "context" $.context "group" .) | eq "true" }}
{{- end }}
{{- end }}

{{/* atc.container.env: a role's own env map (`NAME: value`) as a sorted env list; takes the map. */}}
{{- define "atc.container.env" -}}
{{- range $name, $value := . }}
{{- /* The grace period and the probes follow these two: an override would outlast or miss them. */}}
{{- if has $name (list "SHUTDOWN_TIMEOUT_MS" "ADMIN_PORT") }}
{{- fail (printf "env.%s: set by the chart (SHUTDOWN_TIMEOUT_MS from shutdown.timeoutSeconds, ADMIN_PORT from config.adminPort; the grace period and probes follow them): set that value instead" $name) }}
{{- end }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/*
atc.container.probes: startup, liveness and readiness on the admin port. Liveness is `/health` (no
I/O: a slow database must not restart the pod); readiness is `/health/ready` (database, schema
version, breakers; 503 while draining). Takes the root context.
*/}}
{{- define "atc.container.probes" -}}
startupProbe:
  httpGet:
    path: /health
    port: admin
  periodSeconds: 2
  timeoutSeconds: 2
  failureThreshold: 30
livenessProbe:
  httpGet:
    path: /health
    port: admin
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /health/ready
    port: admin
  periodSeconds: 5
  # The readiness checks give up after 2 s each.
  timeoutSeconds: 3
  failureThreshold: 2
{{- end }}

{{/* atc.pod.placement: imagePullSecrets, nodeSelector, tolerations, affinity and the topology spread; takes dict "context" "component" "values". */}}
{{- define "atc.pod.placement" -}}
{{- with .context.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $spread := .context.Values.topologySpread }}
{{- if $spread.enabled }}
topologySpreadConstraints:
  - maxSkew: {{ $spread.maxSkew }}
    topologyKey: {{ $spread.topologyKey }}
    whenUnsatisfiable: {{ $spread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "atc.selectorLabels" (dict "context" .context "component" .component) | nindent 8 }}
{{- end }}
{{- end }}

{{/* atc.pod.checksums: annotations that roll the pods when the shared ConfigMap or the chart's Secrets change. */}}
{{- define "atc.pod.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secrets: {{ include (print .Template.BasePath "/secrets/secret.yaml") . | sha256sum }}
{{- end }}

{{/*
atc.deployment: the Deployment of one long-running role. Takes dict "context", "component",
"values" (the role's values: resources, pdb, podAnnotations, …), "args" (the container args),
"groups" (Secret groups), "env" (rendered extra env list or ""), "ports" (rendered extra container
ports or ""), "replicas" (omitted when an autoscaler owns it), "strategy" (rendered or ""),
"extraLabels" (map) and "automountToken" (bool).
*/}}
{{- define "atc.deployment" -}}
{{- $ctx := .context }}
{{- $name := include "atc.componentName" (dict "context" $ctx "component" .component) }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "atc.componentLabels" (dict "context" $ctx "component" .component) | nindent 4 }}
    {{- with .extraLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- if hasKey . "replicas" }}
  replicas: {{ .replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  {{- with .strategy }}
  strategy:
    {{- . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "atc.selectorLabels" (dict "context" $ctx "component" .component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "atc.componentLabels" (dict "context" $ctx "component" .component) | nindent 8 }}
      annotations:
        {{- include "atc.pod.checksums" $ctx | nindent 8 }}
        {{- with .values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ $name }}
      automountServiceAccountToken: {{ .automountToken }}
      terminationGracePeriodSeconds: {{ include "atc.shutdown.gracePeriodSeconds" $ctx }}
      securityContext:
        {{- include "atc.pod.securityContext" $ctx | nindent 8 }}
      {{- include "atc.pod.placement" (dict "context" $ctx "component" .component "values" .values) | trim | nindent 6 }}
      containers:
        - name: {{ .component }}
          image: {{ include "atc.image" $ctx }}
          imagePullPolicy: {{ $ctx.Values.image.pullPolicy }}
          args:
            {{- toYaml .args | nindent 12 }}
          ports:
            - name: admin
              containerPort: {{ $ctx.Values.config.adminPort }}
              protocol: TCP
            {{- with .ports }}
            {{- . | nindent 12 }}
            {{- end }}
          envFrom:
            {{- include "atc.container.envFrom" (dict "context" $ctx "groups" .groups) | nindent 12 }}
          {{- with .env }}
          env:
            {{- . | nindent 12 }}
          {{- end }}
          {{- include "atc.container.probes" $ctx | nindent 10 }}
          resources:
            {{- toYaml .values.resources | nindent 12 }}
          securityContext:
            {{- include "atc.container.securityContext" $ctx | nindent 12 }}
          volumeMounts:
            {{- include "atc.container.volumeMounts" $ctx | nindent 12 }}
      volumes:
        {{- include "atc.pod.volumes" $ctx | nindent 8 }}
{{- end }}

{{/* atc.serviceAccount: a role's ServiceAccount (no token unless "automountToken"); takes dict "context" "component" "automountToken". */}}
{{- define "atc.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "atc.componentName" (dict "context" .context "component" .component) }}
  labels:
    {{- include "atc.componentLabels" (dict "context" .context "component" .component) | nindent 4 }}
automountServiceAccountToken: {{ .automountToken }}
{{- end }}

{{/* atc.pdb: a role's PodDisruptionBudget (minAvailable when set, else maxUnavailable); takes dict "context" "component" "pdb". */}}
{{- define "atc.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "atc.componentName" (dict "context" .context "component" .component) }}
  labels:
    {{- include "atc.componentLabels" (dict "context" .context "component" .component) | nindent 4 }}
spec:
  {{- if hasKey .pdb "minAvailable" }}
  minAvailable: {{ .pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "atc.selectorLabels" (dict "context" .context "component" .component) | nindent 6 }}
{{- end }}
