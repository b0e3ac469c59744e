export interface BuildWorkspace {
  name: string;
  dir: string;
  deps: string[];
}
export const OUTPUT: Record<string, string>;
export function staleDependencies(root: string, limit?: number): string[] | null;
export function newestSource(path: string): number;
export function newestOutput(path: string): number;
export function buildOrder(root: string, targets?: string[]): BuildWorkspace[];
export function needsBuild(root: string, ws: BuildWorkspace, builtAt: Map<string, number>): boolean;
