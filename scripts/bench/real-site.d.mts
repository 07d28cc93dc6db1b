/** Types of real-site.mjs (the benchmark's real-content site), for the smoke test. */
export const defaultBundle: string;
export function topSummary(tipSummary: string, pages: readonly string[], copies: number): string;
export function buildRealSite(options?: { bundle?: string; copies?: number; out?: string; fresh?: boolean }):
  | { readonly skipped: string }
  | {
      readonly skipped?: undefined;
      readonly root: string;
      readonly pages: number;
      readonly files: number;
      readonly mb: number;
      readonly copies: number;
      readonly tip: string;
    };
