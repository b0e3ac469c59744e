export interface BuildWorkspace {
  name: string;
  dir: string;
  deps: string[];
  /** Its output directory, relative to `dir`. */
  out: string;
}
export function staleDependencies(root: string, limit?: number): string[] | null;
export function newestSource(path: string): number;
export function newestOutput(path: string): number;
export function buildOrder(root: string, targets?: string[]): BuildWorkspace[];
export function needsBuild(root: string, ws: BuildWorkspace, builtAt: Map<string, number>): boolean;
