// Child process for the kill -9 test of LevelLogStore: reopens the store at
// argv[2], then appends batches forever, sometimes replacing the last few
// entries with a newer term, and prints "ack <lastIndex> <term>" after every
// resolved save. The parent kills it with SIGKILL at a random moment.
// Entry bytes are a function of (index, term) so the parent can detect any
// torn or mixed-up entry after reopening.
import { LevelLogStore } from '../../../../runtime/raft/log-store-level.ts';
import { entryBytes } from './crash-pattern.ts';
import type { Entry } from '../../../../runtime/raft/types.ts';

const [path, seedText] = process.argv.slice(2);
if (path === undefined || seedText === undefined) throw new Error('usage: crash-writer <path> <seed>');
let seed = Number(seedText);
const nextInt = (max: number): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % max;
};

const store = await LevelLogStore.open({ path, bootstrap: { voters: ['a'], learners: [] } });
const state = await store.load();
let last = state.entries.at(-1)?.index ?? 0;
let term = Math.max(1, state.hardState.term, state.entries.at(-1)?.term ?? 0);
let commit = state.hardState.commit;
for (;;) {
  let start = last + 1;
  if (last > 4 && nextInt(5) === 0) {
    // Replace a conflicting tail, as a follower does when a new leader overrules it.
    start = Math.max(commit + 1, last - nextInt(4));
    term += 1;
  }
  const count = 1 + nextInt(8);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const index = start + i;
    entries.push({ index, term, payload: { kind: 'command', data: entryBytes(index, term) } });
  }
  last = start + count - 1;
  commit = Math.max(commit, start - 1);
  await store.save({ hardState: { term, vote: 'a', commit }, entries, snapshot: null, sync: nextInt(2) === 0 });
  process.stdout.write(`ack ${last} ${term}\n`);
}
