// The shape every bench step shares. A step measures one or more budgets and returns one row
// each; run.ts prints them as one table. `mode` sets the data sizes: 'full' is the real
// measure (the whole bench under 15 minutes on 2 cores), 'quick' a smaller one (under 3
// minutes), 'smoke' the tiniest run that still exercises the code path (npm test runs it so a
// broken bench fails CI; its figures mean nothing and no budget is judged).
export type BenchMode = 'full' | 'quick' | 'smoke';

export interface BenchContext {
  mode: BenchMode;
  /** Where the pinned peers are installed (test/bench/peers). */
  peersDir: string;
  /** PostgreSQL server to create throw-away databases on; rows that need it are skipped without. */
  databaseUrl: string | undefined;
}

export interface BenchRow {
  /** The step's id (for --only). */
  id: string;
  measure: string;
  ours: string;
  /** The peer's figure measured in the same run, or '' where there is no peer. */
  peer: string;
  budget: string;
  /** undefined: printed only, no budget judged (always so in smoke mode). */
  ok: boolean | undefined;
}

export interface BenchStep {
  id: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
