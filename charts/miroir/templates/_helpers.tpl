{{/*
Names, labels and the peer config file shared by the templates.

Peer ids are the peer pod names (<fullname>-<ordinal>) and node ids the
Meilisearch pod names (<fullname>-meili-g<group>-<ordinal>): both must match
Miroir's id pattern (1 to 64 of a-z A-Z 0-9 - _), hence the 40-character
prefix.
*/}}

{{- define "miroir.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "miroir.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "miroir.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "miroir.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector of the peer pods. */}}
{{- define "miroir.peerSelector" -}}
app.kubernetes.io/name: {{ include "miroir.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: peer
{{- end -}}

{{/* Selector of all Meilisearch node pods; a group's pods add miroir.dev/group. */}}
{{- define "miroir.nodeSelector" -}}
app.kubernetes.io/name: {{ include "miroir.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: meilisearch
{{- end -}}

{{- define "miroir.peerService" -}}{{ include "miroir.fullname" . }}-peers{{- end -}}
{{- define "miroir.nodeService" -}}{{ include "miroir.fullname" . }}-meili{{- end -}}

{{- define "miroir.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/*
Container ports are fixed: the config file, the probes and the Services all
name them, so they cannot disagree. Only the client Service port is chosen.
*/}}
{{- define "miroir.clientPort" -}}7700{{- end -}}
{{- define "miroir.peerPort" -}}7800{{- end -}}
{{- define "miroir.metricsPort" -}}9464{{- end -}}
{{- define "miroir.nodePort" -}}7700{{- end -}}

{{/* A secretKeyRef env entry: (list ctx envName key). */}}
{{- define "miroir.secretEnv" -}}
{{- $ctx := index . 0 -}}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ $ctx.Values.secrets.existingSecret }}
      key: {{ index . 2 }}
{{- end -}}

{{/*
The replica groups the config file seeds the cluster with: the chart's
Meilisearch StatefulSets (one per group), or the external groups as given.
*/}}
{{- define "miroir.groups" -}}
{{- $groups := list -}}
{{- if .Values.meilisearch.enabled -}}
{{- $fullname := include "miroir.fullname" . -}}
{{- $svc := include "miroir.nodeService" . -}}
{{- range $g := until (int .Values.meilisearch.groups) -}}
{{- $nodes := list -}}
{{- range $n := until (int $.Values.meilisearch.nodesPerGroup) -}}
{{- $pod := printf "%s-meili-g%d-%d" $fullname $g $n -}}
{{- $url := printf "http://%s.%s.%s.svc.%s:%s" $pod $svc $.Release.Namespace $.Values.clusterDomain (include "miroir.nodePort" $) -}}
{{- $nodes = append $nodes (dict "id" $pod "url" $url) -}}
{{- end -}}
{{- $groups = append $groups (dict "id" (printf "g%d" $g) "nodes" $nodes) -}}
{{- end -}}
{{- else -}}
{{- $groups = .Values.externalGroups -}}
{{- end -}}
{{- toJson $groups -}}
{{- end -}}

{{/*
The peer config file (runtime/config/schema.ts). peerId is not in it: each
pod sets MIROIR_PEER_ID to its own name. `config` passes further keys
through; the chart's own keys win.
*/}}
{{- define "miroir.peerConfig" -}}
{{- $fullname := include "miroir.fullname" . -}}
{{- $svc := include "miroir.peerService" . -}}
{{- $peers := list -}}
{{- range $i := until (int .Values.peers.replicas) -}}
{{- $pod := printf "%s-%d" $fullname $i -}}
{{- $address := printf "ws://%s.%s.%s.svc.%s:%s" $pod $svc $.Release.Namespace $.Values.clusterDomain (include "miroir.peerPort" $) -}}
{{- $peers = append $peers (dict "id" $pod "address" $address) -}}
{{- end -}}
{{- $listen := dict "host" "0.0.0.0" "clientPort" (int (include "miroir.clientPort" .)) "peerPort" (int (include "miroir.peerPort" .)) "metricsPort" (int (include "miroir.metricsPort" .)) -}}
{{- $own := dict "dataDir" "/data" "listen" $listen "peers" $peers "groups" (include "miroir.groups" . | fromJsonArray) "rf" (int .Values.cluster.rf) "defaultShards" (int .Values.cluster.defaultShards) -}}
{{- toPrettyJson (merge $own (deepCopy .Values.config)) -}}
{{- end -}}

{{/*
Pod affinity: the values' own `affinity` when given; otherwise anti-affinity
on the host name between pods with the given labels, so that one Kubernetes
node going down takes at most one Raft peer (or one node of a group, whose
shard copies must sit on different machines). `soft` prefers spreading,
`hard` requires it (pods stay Pending without enough machines), `none` skips.
Called with (list affinity mode selectorLabels).
*/}}
{{- define "miroir.affinity" -}}
{{- $affinity := index . 0 -}}
{{- $mode := index . 1 -}}
{{- $selector := index . 2 -}}
{{- if $affinity -}}
affinity:
  {{- toYaml $affinity | nindent 2 }}
{{- else if eq $mode "soft" -}}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- $selector | nindent 14 }}
{{- else if eq $mode "hard" -}}
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- $selector | nindent 12 }}
{{- end -}}
{{- end -}}
