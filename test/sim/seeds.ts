// Which seeds a simulation runs (STYLE G6): the fixed list under `npm test`,
// random ones under `npm run sim:swarm` (MIROIR_SIM_SWARM=1, count from
// MIROIR_SIM_SWARM_COUNT), or exactly one when MIROIR_SEED is set, which
// replays a failure. A failing seed is printed as `MIROIR_SEED=<n>`.

export function seedsFor(fixed: readonly number[]): number[] {
  const replay = process.env.MIROIR_SEED;
  if (replay !== undefined && replay !== '') return [Number(replay)];
  if (process.env.MIROIR_SIM_SWARM === '1') {
    const count = Number(process.env.MIROIR_SIM_SWARM_COUNT ?? 200);
    // Swarm seeds come from real entropy on purpose: they explore; the printed seed replays.
    return Array.from({ length: count }, () => Math.floor(Math.random() * 2 ** 31));
  }
  return [...fixed];
}

/** Fixed seeds 1..n, so `npm test` is the same run every time. */
export function range(n: number, from = 1): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}

/** Runs `scenario` once per seed; a failure names the seed to replay it. */
export function forEachSeed(fixed: readonly number[], scenario: (seed: number) => void): void {
  for (const seed of seedsFor(fixed)) {
    try {
      scenario(seed);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      console.error(`MIROIR_SEED=${seed} (replay with: MIROIR_SEED=${seed} node --import tsx --test <this file>)`);
      throw new Error(`MIROIR_SEED=${seed}: ${message}`, { cause: e });
    }
  }
}
