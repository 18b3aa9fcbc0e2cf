// Small helpers for driving RaftCore by hand in unit tests: build cores,
// drain their Readies (persisting nothing), and pass messages around.
import { seededRng } from '../../../../runtime/env/rng.ts';
import { RaftCore } from '../../../../runtime/raft/core.ts';
import type { Entry, PersistedState, RaftConfig, RaftMessage } from '../../../../runtime/raft/types.ts';

export function config(id: string, overrides: Partial<RaftConfig> = {}): RaftConfig {
  return {
    id,
    electionTicks: 10,
    heartbeatTicks: 1,
    maxSizePerMsgBytes: 1024,
    maxInflightMessages: 4,
    maxUncommittedEntries: 1000,
    checkQuorum: false,
    preVote: false,
    ...overrides,
  };
}

export function entry(index: number, term: number, data = ''): Entry {
  return { index, term, payload: { kind: 'command', data: new TextEncoder().encode(data) } };
}

export function restored(voters: string[], over: Partial<PersistedState> = {}): PersistedState {
  return { hardState: { term: 0, vote: null, commit: 0 }, snapshot: null, entries: [], confState: { voters, learners: [] }, ...over };
}

export function core(id: string, voters: string[], over: Partial<PersistedState> = {}, cfg: Partial<RaftConfig> = {}, seed = 1): RaftCore {
  return new RaftCore(config(id, cfg), restored(voters, over), seededRng(seed));
}

/** Takes and advances every Ready; returns the messages they carried. */
export function drain(c: RaftCore): RaftMessage[] {
  const out: RaftMessage[] = [];
  while (c.hasReady()) {
    const rd = c.ready();
    out.push(...rd.messages);
    c.advance(rd);
  }
  return out;
}

/** Delivers messages among `cores` until quiet. */
export function stabilize(cores: Map<string, RaftCore>): void {
  for (let round = 0; round < 1000; round++) {
    const inbox = [...cores.values()].flatMap(drain);
    if (inbox.length === 0) return;
    for (const m of inbox) cores.get(m.to)?.step(m);
  }
  throw new Error('did not stabilize');
}

export function clusterOf(ids: string[], cfg: Partial<RaftConfig> = {}): Map<string, RaftCore> {
  return new Map(ids.map((id, i) => [id, core(id, ids, {}, cfg, i + 1)]));
}

/** Elects `id` by campaigning directly. */
export function elect(cores: Map<string, RaftCore>, id: string): RaftCore {
  const c = cores.get(id)!;
  c.startElection(false);
  stabilize(cores);
  if (c.role !== 'leader') throw new Error(`${id} did not win`);
  return c;
}
