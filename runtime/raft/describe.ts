// One-line descriptions of Raft values, shared by debug logs and the
// transcript tests' golden output (STYLE G7), so a log line and a transcript
// read the same. Deterministic: no times, no object identities.
import { unreachable } from '../assert.ts';
import type { ConfState, Entry, HardState, RaftMessage, RaftStatus, ReadState, Ready, Snapshot, SoftState } from './types.ts';

/** Log lines stay short however large a command or snapshot is. */
const MAX_SHOWN_BYTES = 64;

/** Printable ASCII is shown as a quoted string, anything else as hex. */
function describeData(data: Uint8Array): string {
  const shown = data.subarray(0, MAX_SHOWN_BYTES);
  const more = data.byteLength > MAX_SHOWN_BYTES ? `…(${data.byteLength} bytes)` : '';
  if (shown.every((b) => b >= 0x20 && b <= 0x7e)) return JSON.stringify(String.fromCharCode(...shown)) + more;
  return `0x${[...shown].map((b) => b.toString(16).padStart(2, '0')).join('')}${more}`;
}

export function describeEntry(entry: Entry): string {
  const p = entry.payload;
  const body = p.kind === 'command' ? `cmd ${describeData(p.data)}` : `conf ${p.change.kind} ${p.change.peer}`;
  return `${entry.term}/${entry.index} ${body}`;
}

export function describeEntries(entries: readonly Entry[]): string {
  return `[${entries.map(describeEntry).join(', ')}]`;
}

export function describeConfState(conf: ConfState): string {
  return `voters=(${conf.voters.join(' ')}) learners=(${conf.learners.join(' ')})`;
}

export function describeSnapshot(snapshot: Snapshot): string {
  const { index, term, confState } = snapshot.meta;
  return `snapshot ${term}/${index} ${describeConfState(confState)} data=${describeData(snapshot.data)}`;
}

export function describeHardState(hs: HardState): string {
  return `term=${hs.term} vote=${hs.vote ?? '-'} commit=${hs.commit}`;
}

export function describeSoftState(ss: SoftState): string {
  return `leader=${ss.leader ?? '-'} role=${ss.role}`;
}

function describeBody(m: RaftMessage): string {
  switch (m.kind) {
    case 'raft.preVote':
    case 'raft.vote':
      return `last=${m.lastLogTerm}/${m.lastLogIndex}${m.kind === 'raft.vote' && m.transfer ? ' transfer' : ''}`;
    case 'raft.preVoteResponse':
    case 'raft.voteResponse':
      return m.granted ? 'granted' : 'rejected';
    case 'raft.append':
      return `prev=${m.prevLogTerm}/${m.prevLogIndex} commit=${m.commit} entries=${describeEntries(m.entries)}`;
    case 'raft.appendResponse':
      if (m.success) return `index=${m.index}`;
      return `rejected index=${m.index} hint=${m.rejectHint === null ? '-' : `${m.rejectHint.term}/${m.rejectHint.index}`}`;
    case 'raft.heartbeat':
      return `commit=${m.commit}${m.context === null ? '' : ` context=${m.context}`}`;
    case 'raft.heartbeatResponse':
      return m.context === null ? '' : `context=${m.context}`;
    case 'raft.snapshot':
      return describeSnapshot(m.snapshot);
    case 'raft.timeoutNow':
      return '';
    case 'raft.readIndex':
      return `request=${m.requestId}`;
    case 'raft.readIndexResponse':
      return `request=${m.requestId} index=${m.index}`;
    default:
      return unreachable(m, 'unknown message');
  }
}

export function describeMessage(m: RaftMessage): string {
  const body = describeBody(m);
  return `${m.from}->${m.to} ${m.kind.slice('raft.'.length)} term=${m.term}${body === '' ? '' : ` ${body}`}`;
}

export function describeReadState(rs: ReadState): string {
  return `read ${rs.requestId} at ${rs.index}`;
}

/** A multi-line description; only non-empty parts appear. */
export function describeReady(rd: Ready): string {
  const lines: string[] = [`Ready mustSync=${rd.mustSync}:`];
  if (rd.softState !== null) lines.push(`soft: ${describeSoftState(rd.softState)}`);
  if (rd.hardState !== null) lines.push(`hard: ${describeHardState(rd.hardState)}`);
  const section = (title: string, items: string[]): void => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const item of items) lines.push(`  ${item}`);
  };
  section('entries', rd.entries.map(describeEntry));
  if (rd.snapshot !== null) lines.push(`snapshot: ${describeSnapshot(rd.snapshot)}`);
  section('committed', rd.committed.map(describeEntry));
  section('messages', rd.messages.map(describeMessage));
  section('reads', rd.readStates.map(describeReadState));
  return lines.join('\n');
}

export function describeStatus(s: RaftStatus): string {
  return `${s.id} ${s.role} term=${s.term} leader=${s.leader ?? '-'} commit=${s.commit} applied=${s.applied} last=${s.lastIndex} ${describeConfState(s.confState)}`;
}
