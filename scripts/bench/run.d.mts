/** Types of run.mjs (the benchmark harness), for the smoke test. */
import type { GeneratedSite } from './generate-site.mjs';

export interface Target {
  readonly id: string;
  readonly ours: string;
  readonly peer: string;
  readonly limit: number;
  readonly what: string;
}
export interface Row {
  readonly tool: string;
  readonly runs: number;
  readonly wall: number;
  readonly rssMb: number;
  readonly maxRssMb: number;
  readonly walls: readonly number[];
}
export interface Verdict {
  readonly id: string;
  readonly what: string;
  readonly limit: number;
  readonly ratio: number;
  /** Ours over the peer's wall time in each round (information; the verdict is on the medians). */
  readonly rounds?: readonly number[];
  readonly oursWall?: number;
  readonly peerWall?: number;
  readonly rssMb?: number;
  readonly met: boolean | undefined;
}
export interface GrowthRow {
  readonly pages: number;
  readonly mb: number;
  readonly cold: number;
  readonly coldRss: number;
  readonly warm: number;
  readonly warmRss: number;
  readonly markdownlint?: number;
}
export interface Machine {
  readonly cpus: number;
  readonly model: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly platform: string;
  readonly loadavg: readonly number[];
  readonly commit: string;
}
export interface RealSiteResult {
  readonly skipped?: string;
  readonly site?: {
    readonly pages: number;
    readonly mb: number;
    readonly copies: number;
    readonly tip: string;
    readonly root: string;
  };
  readonly rows?: readonly Row[];
  readonly checks?: readonly Verdict[];
}
export interface BenchResult {
  readonly machine: Machine;
  readonly machineAfter: Machine;
  readonly site: GeneratedSite;
  readonly rows: readonly Row[];
  readonly checks: readonly Verdict[];
  readonly real: RealSiteResult | undefined;
  readonly growth: readonly GrowthRow[];
  readonly table: string;
}
export const targets: readonly Target[];
export const rssLimitMb: number;
export function median(xs: readonly number[]): number;
export function verdicts(rows: readonly Row[], options: { pages: number; rssPages?: number }): Verdict[];
export function machine(): Machine;
export function snapshotCli(base: string): string;
export function compare(options: {
  site: string;
  work: string;
  runs?: number;
  peers?: boolean;
  lsp?: boolean;
  msol?: string;
  editPage?: string;
  log?: (line: string) => void;
}): Promise<Row[]>;
export function runBenchmark(options?: {
  pages?: number;
  runs?: number;
  growth?: readonly number[];
  peers?: boolean;
  realSite?: false | { bundle?: string; copies?: number };
  base?: string;
  log?: (line: string) => void;
}): Promise<BenchResult>;
