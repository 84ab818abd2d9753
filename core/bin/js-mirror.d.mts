// Types of js-mirror.mjs for the TypeScript tests (ADR 0063).
export declare const MIRROR_DIR: string;
export declare const MIRROR_CONDITION: string;
export declare const REPO_ROOT: string;
export interface MirrorState {
  readonly fresh: boolean;
  readonly stale: readonly { readonly pkg: string; readonly reason: string }[];
}
export declare function mirroredPackages(root?: string): string[];
export declare function compilerKey(root?: string): string;
export declare function mirrorState(root?: string): MirrorState;
export declare function buildMirror(root?: string): Promise<{ compiled: number; removed: number; packages: number }>;
export declare function removeMirror(root?: string): void;
