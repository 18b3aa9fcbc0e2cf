// The admin API's answers as `miroir ctl` reads them (the contract of issue 5
// §3; api/schemas/admin*.ts serialize them). Only what ctl renders is typed.

export interface Topology {
  peerId: string;
  leader: string | null;
  term: number;
  commit: number;
  applied: number;
  peers: Array<{ id: string; address: string; role: string; isLeader: boolean; isSelf: boolean }>;
  nodes: Array<{
    id: string; url: string; group: string; state: string; healthy: boolean;
    health: { status: string; latencyEwmaMs: number | null; observedBy: string; ageMs: number } | null;
  }>;
  groups: Array<{ id: string; nodes: string[]; state?: string }>;
  indexes: Array<{ uid: string; shards: number; placements: Record<string, string[][]> }>;
}

export interface TaskList {
  results: Array<{ uid: number; indexUid: string | null; status: string; type: string; enqueuedAt: string; error: { code?: string } | null }>;
  total: number;
  next: number | null;
}

export interface PeersView {
  leader: string | null;
  source: string;
  answeredBy: string;
  results: Array<{ id: string; address: string | null; role: string; voter: boolean; matchIndex: number | null }>;
}

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  reason: string | null;
  migrations: { total: number; done: number; running: number; failed: number };
  startedAt: string | null;
  finishedAt: string | null;
}

export type Phase = 'hold' | 'copy' | 'replay' | 'verify' | 'cutover' | 'cleanup' | 'done' | 'failed';

export interface Migration {
  id: string;
  indexUid: string;
  shard: number;
  group: string;
  from: string[];
  to: string;
  phase: Phase;
  fromLogIndex: number | null;
  copied: number;
  total: number | null;
  error: { message?: string; code?: string } | string | null;
  startedAt: string | null;
  updatedAt: string | null;
}

export interface NodeAnswer {
  node: { id: string; url: string; group: string; state: string };
  job?: Job | null;
}

export interface GroupAnswer {
  group: { id: string; state: string };
  job?: Job | null;
}
