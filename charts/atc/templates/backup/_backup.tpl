{{/*
The backup CronJob's pieces (docs/operations/backups.md). `atc backup` writes a pg_dump of one
consistent snapshot and its manifest into /backups; an optional upload container then copies them
elsewhere with a command of the operator's choosing.
*/}}

{{/* atc.backup.validate: stops rendering when the backup cannot work as configured. */}}
{{- define "atc.backup.validate" -}}
{{- $b := .Values.backup }}
{{- if not $b.image }}
{{- fail "backup.image: required when backup.enabled — an image with atc and pg_dump 15 (the release's image has no pg_dump; docs/operations/backups.md shows one built FROM it)" }}
{{- end }}
{{- if and (not $b.persistence.existingClaim) (not $b.upload.enabled) }}
{{- fail "backup.persistence.existingClaim or backup.upload.enabled: a dump written only to an emptyDir disappears with its pod" }}
{{- end }}
{{- if and $b.upload.enabled (or (not $b.upload.image) (not $b.upload.command)) }}
{{- fail "backup.upload.image and backup.upload.command: required when backup.upload.enabled" }}
{{- end }}
{{- end }}

{{/* atc.backup.container: the container running `atc backup --out /backups/ --keep N`; takes the root context. */}}
{{- define "atc.backup.container" -}}
- name: backup
  image: {{ .Values.backup.image }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  args:
    - backup
    - --out
    - /backups/
    - --keep
    - {{ .Values.backup.keep | quote }}
  envFrom:
    {{- include "atc.container.envFrom" (dict "context" . "groups" (list "database")) | nindent 4 }}
  env:
    - name: PG_DUMP_PATH
      value: {{ .Values.backup.pgDumpPath | quote }}
  resources:
    {{- toYaml .Values.backup.resources | nindent 4 }}
  securityContext:
    {{- include "atc.container.securityContext" . | nindent 4 }}
  volumeMounts:
    {{- include "atc.container.volumeMounts" . | nindent 4 }}
    - name: backups
      mountPath: /backups
{{- end }}

{{/* atc.backup.uploadContainer: the operator's upload command on the same /backups volume; takes the root context. */}}
{{- define "atc.backup.uploadContainer" -}}
{{- $upload := .Values.backup.upload }}
- name: upload
  image: {{ $upload.image }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command:
    {{- toYaml $upload.command | nindent 4 }}
  {{- with $upload.args }}
  args:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $upload.existingSecret }}
  envFrom:
    - secretRef:
        name: {{ . }}
  {{- end }}
  resources:
    {{- toYaml .Values.backup.resources | nindent 4 }}
  securityContext:
    {{- include "atc.container.securityContext" . | nindent 4 }}
  volumeMounts:
    {{- include "atc.container.volumeMounts" . | nindent 4 }}
    - name: backups
      mountPath: /backups
      readOnly: true
{{- end }}
