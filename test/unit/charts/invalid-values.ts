// Invalid chart values, each with the key path (JSON pointer prefix) the
// schema must name. Shared by the ajv test and the helm test, so both check
// that the same combinations are refused.
import type { Values } from './values.ts';

export interface InvalidCase {
  name: string;
  /** Merged over the defaults (with the Secret named). */
  values: Values;
  path: string;
}

export const INVALID_CASES: readonly InvalidCase[] = [
  { name: 'an RF larger than the nodes of a chart group', values: { cluster: { rf: 4 }, meilisearch: { nodesPerGroup: 3 } }, path: '/meilisearch' },
  {
    name: 'an RF larger than the nodes of an external group',
    values: {
      cluster: { rf: 2 },
      meilisearch: { enabled: false },
      externalGroups: [{ id: 'g1', nodes: [{ id: 'n1', url: 'http://n1:7700' }] }],
    },
    path: '/externalGroups/0/nodes',
  },
  { name: 'an empty Secret name', values: { secrets: { existingSecret: '' } }, path: '/secrets/existingSecret' },
  { name: 'a Secret name that is no DNS name', values: { secrets: { existingSecret: 'My_Secrets' } }, path: '/secrets/existingSecret' },
  { name: 'a missing master key entry', values: { secrets: { keys: { masterKey: '' } } }, path: '/secrets/keys/masterKey' },
  { name: 'a missing cluster secret entry', values: { secrets: { keys: { clusterSecret: '' } } }, path: '/secrets/keys/clusterSecret' },
  { name: 'chart nodes without a node master key', values: { secrets: { keys: { nodeMasterKey: '' } } }, path: '/secrets/keys/nodeMasterKey' },
  { name: 'a negative peer count', values: { peers: { replicas: -1 } }, path: '/peers/replicas' },
  { name: 'zero peers', values: { peers: { replicas: 0 } }, path: '/peers/replicas' },
  { name: 'more peers than Raft allows', values: { peers: { replicas: 16 } }, path: '/peers/replicas' },
  { name: 'a fractional peer count', values: { peers: { replicas: 2.5 } }, path: '/peers/replicas' },
  { name: 'a negative group count', values: { meilisearch: { groups: -2 } }, path: '/meilisearch/groups' },
  { name: 'zero nodes per group', values: { meilisearch: { nodesPerGroup: 0 } }, path: '/meilisearch/nodesPerGroup' },
  { name: 'zero default shards', values: { cluster: { defaultShards: 0 } }, path: '/cluster/defaultShards' },
  { name: 'no nodes at all', values: { meilisearch: { enabled: false } }, path: '/externalGroups' },
  {
    name: 'chart nodes mixed with external groups',
    values: { externalGroups: [{ id: 'x', nodes: [{ id: 'x1', url: 'http://x1:7700' }] }] },
    path: '/externalGroups',
  },
  {
    name: 'an external node URL that is not http',
    values: { meilisearch: { enabled: false }, externalGroups: [{ id: 'g1', nodes: [{ id: 'n1', url: 'ftp://n1' }] }] },
    path: '/externalGroups/0/nodes/0/url',
  },
  {
    name: 'an external node id outside the id alphabet',
    values: { meilisearch: { enabled: false }, externalGroups: [{ id: 'g1', nodes: [{ id: 'n 1', url: 'http://n1:7700' }] }] },
    path: '/externalGroups/0/nodes/0/id',
  },
  { name: 'a secret passed as a plain environment variable', values: { peers: { extraEnv: [{ name: 'MIROIR_MASTER_KEY', value: 'x' }] } }, path: '/peers/extraEnv/0/name' },
  { name: 'the node master key as a plain variable', values: { meilisearch: { env: [{ name: 'MEILI_MASTER_KEY', value: 'x' }] } }, path: '/meilisearch/env/0/name' },
  { name: 'a negative memory request', values: { peers: { resources: { requests: { memory: '-1Gi' } } } }, path: '/peers/resources/requests/memory' },
  { name: 'a volume size without a quantity', values: { peers: { persistence: { size: 'big' } } }, path: '/peers/persistence/size' },
  { name: 'an unknown top-level key (a typo)', values: { peer: { replicas: 3 } }, path: '' },
  { name: 'an unknown pass-through config key', values: { config: { raft: { tickMS: 100 } } }, path: '/config/raft' },
  { name: 'a pass-through config value out of bounds', values: { config: { raft: { tickMs: 0 } } }, path: '/config/raft/tickMs' },
  { name: 'a config section the chart sets itself', values: { config: { peers: [] } }, path: '/config' },
  { name: 'an unknown write ack mode', values: { config: { write: { ackMode: 'all' } } }, path: '/config/write/ackMode' },
  { name: 'an unknown anti-affinity mode', values: { peers: { antiAffinity: 'always' } }, path: '/peers/antiAffinity' },
  { name: 'a scrape interval Prometheus cannot read', values: { metrics: { serviceMonitor: { interval: '30 seconds' } } }, path: '/metrics/serviceMonitor/interval' },
  { name: 'a service port out of range', values: { service: { port: 70000 } }, path: '/service/port' },
];
