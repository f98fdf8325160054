{{- define "gatehouse.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "gatehouse.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "gatehouse.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gatehouse.secretName" -}}
{{- default (include "gatehouse.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{/* The environment every Gatehouse container gets: configuration plus the secret's keys. */}}
{{- define "gatehouse.env" -}}
- name: NODE_ENV
  value: production
- name: GATEHOUSE_PUBLIC_URL
  value: {{ .Values.publicUrl | quote }}
{{- with .Values.databaseUrl }}
- name: GATEHOUSE_DATABASE_URL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.redisUrl }}
- name: GATEHOUSE_REDIS_URL
  value: {{ . | quote }}
{{- end }}
{{- range $name, $value := .Values.extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
- name: GATEHOUSE_MASTER_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "gatehouse.secretName" . }}
      key: GATEHOUSE_MASTER_KEY
- name: GATEHOUSE_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "gatehouse.secretName" . }}
      key: GATEHOUSE_ADMIN_TOKEN
{{- end -}}
