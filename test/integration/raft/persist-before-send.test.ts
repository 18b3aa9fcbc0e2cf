// Goal: STYLE G4 holds on the real stack: no message leaves before what it
// promises is durable. An append never carries an entry its sender has not
// written to LevelDB, a granted vote never leaves before the vote and its
// term are written, an append response never acknowledges an index not yet
// written, and no message is sent while a durable (entries / vote) save is
// in flight. Method: three in-process peers over the real core, LevelDB and
// mesh; each driver's LogStore and transport are wrapped in recorders that
// delegate to the real ones and check every send against what has resolved.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RaftTransport } from '../../../runtime/raft/driver.ts';
import type { LogStore, RaftMessage } from '../../../runtime/raft/types.ts';
import { encodeCommand } from './kv-state-machine.ts';
import { leaderOf, linkAll, startPeer, waitFor, type InProcessPeer } from './in-process-peer.ts';

const root = mkdtempSync(join(tmpdir(), 'miroir-g4-'));
const peers: InProcessPeer[] = [];
after(async () => {
  await Promise.all(peers.map((p) => p.close()));
  rmSync(root, { recursive: true, force: true });
});

/** What one peer has durably written, as seen from resolved save() calls. */
class Durable {
  lastIndex = 0;
  term = 0;
  vote: string | null = null;
  durableSavesInFlight = 0;
  violations: string[] = [];
  sends = 0;
}

function recordingStore(store: LogStore, d: Durable): LogStore {
  return {
    load: () => store.load(),
    compact: (index) => store.compact(index),
    close: () => store.close(),
    async save(update) {
      const durable = update.entries.length > 0 || update.snapshot !== null || update.sync;
      if (durable) d.durableSavesInFlight++;
      try {
        await store.save(update);
      } finally {
        if (durable) d.durableSavesInFlight--;
      }
      const last = update.entries.at(-1);
      if (last !== undefined) d.lastIndex = last.index;
      else if (update.snapshot !== null) d.lastIndex = Math.max(d.lastIndex, update.snapshot.meta.index);
      if (update.hardState !== null) {
        d.term = update.hardState.term;
        d.vote = update.hardState.vote;
      }
    },
  };
}

function check(m: RaftMessage, d: Durable): string | null {
  if (d.durableSavesInFlight > 0) return `${m.kind} sent while a durable save was in flight`;
  if (m.term > d.term && m.kind !== 'raft.preVote' && m.kind !== 'raft.preVoteResponse') return `${m.kind} at term ${m.term} before the term was written (${d.term})`;
  if (m.kind === 'raft.append' && m.entries.length > 0 && m.entries.at(-1)!.index > d.lastIndex) return `append up to ${m.entries.at(-1)!.index} beyond written ${d.lastIndex}`;
  if (m.kind === 'raft.voteResponse' && m.granted && d.vote !== m.to) return `vote for ${m.to} granted before it was written (${d.vote})`;
  if (m.kind === 'raft.appendResponse' && m.success && m.index > d.lastIndex) return `acknowledged ${m.index} beyond written ${d.lastIndex}`;
  return null;
}

function recordingTransport(transport: RaftTransport, d: Durable): RaftTransport {
  return {
    onRaftMessage: (handler) => transport.onRaftMessage(handler),
    request: (peer, method, body, timeoutMs) => transport.request(peer, method, body, timeoutMs),
    handle: (method, handler) => transport.handle(method, handler),
    sendRaft(m) {
      d.sends++;
      const violation = check(m, d);
      if (violation !== null) d.violations.push(violation);
      return transport.sendRaft(m);
    },
  };
}

test('G4 / Raft §5.2–5.3: every message is sent only after what it promises is durable in LevelDB', async () => {
  const ids = ['g1', 'g2', 'g3'];
  const durable = new Map(ids.map((id) => [id, new Durable()]));
  for (const id of ids) {
    const d = durable.get(id)!;
    peers.push(await startPeer({
      id, dir: join(root, id), bootstrap: { voters: ids, learners: [] },
      wrapStore: (s) => recordingStore(s, d), wrapTransport: (t) => recordingTransport(t, d),
    }));
  }
  linkAll(peers);
  let leader = await waitFor(() => leaderOf(peers), 'a leader');
  await Promise.all(Array.from({ length: 500 }, (_, i) => leader.driver.propose(encodeCommand({ id: `g-${i}`, key: 'k', value: 'v' }))));
  // A transfer forces a new election (votes at a new term) under the recorders too.
  const target = peers.find((p) => p !== leader)!;
  leader.driver.transferLeadership(target.id);
  leader = await waitFor(() => (target.driver.isLeader ? target : null), 'the transferee leads');
  await Promise.all(Array.from({ length: 100 }, (_, i) => leader.driver.propose(encodeCommand({ id: `h-${i}`, key: 'k', value: 'v' }))));
  for (const [id, d] of durable) {
    assert.ok(d.sends > 10, `${id} sent messages (${d.sends})`);
    assert.deepEqual(d.violations, [], `${id} never sent ahead of its disk`);
  }
});
