// Runs transcript scripts (STYLE G7). A script is a sequence of blocks:
//
//   command arg key=value …
//   ----
//   expected output (no blank lines)
//
// separated by blank lines; lines starting with # are comments. run() returns
// the script with every output regenerated, so a test compares it to the file
// and MIROIR_REWRITE=1 writes it back.
import { MiroirError } from '../../../runtime/errors.ts';
import { describeEntry, describeStatus } from '../../../runtime/raft/describe.ts';
import type { ConfChange, PeerId, RaftConfig } from '../../../runtime/raft/types.ts';
import { TranscriptEnv, type TranscriptPeer } from './env.ts';

interface Command {
  name: string;
  args: string[];
  options: Map<string, string>;
}

function parseCommand(line: string): Command {
  const [name = '', ...rest] = line.trim().split(/\s+/);
  const args: string[] = [];
  const options = new Map<string, string>();
  for (const word of rest) {
    const eq = word.indexOf('=');
    if (eq > 0) options.set(word.slice(0, eq), word.slice(eq + 1));
    else args.push(word);
  }
  return { name, args, options };
}

/** `(1 2 3)` or `1` → ['1', '2', '3'] / ['1']. */
function idList(value: string | undefined): PeerId[] {
  if (value === undefined || value === '') return [];
  return value.replace(/[()]/g, ' ').trim().split(/[\s,]+/).filter((s) => s !== '');
}

function raftOverrides(options: Map<string, string>): Partial<RaftConfig> {
  const o: Partial<RaftConfig> = {};
  if (options.has('prevote')) o.preVote = options.get('prevote') === 'true';
  if (options.has('checkquorum')) o.checkQuorum = options.get('checkquorum') === 'true';
  if (options.has('election')) o.electionTicks = Number(options.get('election'));
  if (options.has('heartbeat')) o.heartbeatTicks = Number(options.get('heartbeat'));
  if (options.has('inflight')) o.maxInflightMessages = Number(options.get('inflight'));
  return o;
}

export class Interpreter {
  private readonly env = new TranscriptEnv();

  run(script: string): string {
    const out: string[] = [];
    const lines = script.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '' || line.startsWith('#')) {
        out.push(line);
        continue;
      }
      out.push(line, '----');
      if (lines[i + 1] !== '----') throw new Error(`line ${i + 1}: expected ---- after "${line}"`);
      i++;
      while (i + 1 < lines.length && lines[i + 1]!.trim() !== '') i++;
      out.push(this.execute(parseCommand(line)) || 'ok');
    }
    return out.join('\n');
  }

  private execute(cmd: Command): string {
    try {
      return this.dispatch(cmd);
    } catch (e) {
      if (e instanceof MiroirError) return `error: ${e.code}: ${e.message}`;
      throw e;
    }
  }

  private dispatch(cmd: Command): string {
    const env = this.env;
    const id = cmd.args[0] ?? '';
    switch (cmd.name) {
      case 'add-peers':
        env.addPeers(Number(id), raftOverrides(cmd.options));
        return '';
      case 'add-peer':
        env.addPeer(id, raftOverrides(cmd.options));
        return '';
      case 'campaign':
        env.peer(id).core.startElection(false);
        return '';
      case 'tick':
        return this.ticks(env.peer(id), Number(cmd.args[1] ?? 1));
      case 'tick-election':
        return this.ticks(env.peer(id), env.peer(id).core.randomizedElectionTimeout);
      case 'tick-heartbeat':
        return this.ticks(env.peer(id), env.peer(id).config.heartbeatTicks);
      case 'process-ready':
        return this.processReady(cmd.args.length ? cmd.args : [...env.peers.keys()]);
      case 'deliver':
        return env.deliver(cmd.args, idList(cmd.options.get('drop'))).join('\n');
      case 'stabilize':
        return this.stabilize(cmd.args.length ? cmd.args : [...env.peers.keys()]);
      default:
        return this.dispatchClient(cmd, id);
    }
  }

  private dispatchClient(cmd: Command, id: PeerId): string {
    const env = this.env;
    switch (cmd.name) {
      case 'propose': {
        const r = env.peer(id).core.propose(new TextEncoder().encode(cmd.args[1] ?? ''));
        return `proposed ${r.term}/${r.index}`;
      }
      case 'propose-conf-change': {
        const kind = cmd.args[1];
        if (kind !== 'addVoter' && kind !== 'addLearner' && kind !== 'removePeer') throw new Error(`unknown conf change ${kind}`);
        const change: ConfChange = { kind, peer: cmd.args[2] ?? '' };
        const r = env.peer(id).core.proposeConfChange(change);
        return `proposed ${r.term}/${r.index}`;
      }
      case 'transfer-leadership':
        env.peer(id).core.transferLeadership(cmd.args[1] ?? '');
        return '';
      case 'read-index':
        env.peer(id).core.readIndex(cmd.args[1] ?? '');
        return '';
      case 'compact': {
        const s = env.peer(id).core.compact(Number(cmd.args[1]), new TextEncoder().encode(`state@${cmd.args[1]}`));
        env.peer(id).store.saveSync({ hardState: null, entries: [], snapshot: s, sync: true });
        return '';
      }
      default:
        return this.dispatchWorld(cmd, id);
    }
  }

  private dispatchWorld(cmd: Command, id: PeerId): string {
    const env = this.env;
    switch (cmd.name) {
      case 'partition':
        env.partition(cmd.args.join(' ').split('/').map((g) => idList(g)));
        return '';
      case 'heal':
        env.heal();
        return '';
      case 'crash':
        env.crash(id);
        return '';
      case 'restart':
        env.restart(id);
        return '';
      case 'status':
        return (cmd.args.length ? cmd.args : [...env.peers.keys()]).map((p) => describeStatus(env.peer(p).core.status())).join('\n');
      case 'raft-log': {
        const log = env.peer(id).core.log;
        const lines: string[] = [];
        for (let i = log.firstIndex(); i <= log.lastIndex(); i++) {
          const term = log.term(i);
          const entries = log.slice(i, i + 1, 0);
          if (term !== null && entries !== null) lines.push(...entries.map(describeEntry));
        }
        return lines.length ? lines.join('\n') : 'log is empty';
      }
      default:
        throw new Error(`unknown transcript command ${cmd.name}`);
    }
  }

  private ticks(peer: TranscriptPeer, n: number): string {
    for (let i = 0; i < n; i++) peer.core.tick();
    return '';
  }

  private processReady(ids: PeerId[]): string {
    const out: string[] = [];
    for (const id of ids) {
      const rd = this.env.processReady(this.env.peer(id));
      if (rd !== null) out.push(`> ${id} handling Ready`, ...rd.split('\n').map((l) => `  ${l}`));
    }
    return out.join('\n');
  }

  /** Processes Readies and delivers messages among `ids` until nothing moves. */
  private stabilize(ids: PeerId[]): string {
    const out: string[] = [];
    for (let round = 0; round < 100; round++) {
      const readies = this.processReady(ids);
      const delivered: string[] = [];
      for (const id of ids) {
        const lines = this.env.deliver([id], []);
        if (lines.length) delivered.push(`> ${id} receiving messages`, ...lines.map((l) => `  ${l}`));
      }
      if (readies === '' && delivered.length === 0) return out.join('\n');
      if (readies !== '') out.push(readies);
      out.push(...delivered);
    }
    throw new Error('stabilize did not settle in 100 rounds');
  }
}
