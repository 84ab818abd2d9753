// Types of mirror-launch.mjs for the TypeScript tests (ADR 0063).
import type { MirrorState } from './js-mirror.mjs';
export declare function runFromMirror(argv: readonly string[]): Promise<void>;
export declare function withoutCondition(flags: readonly string[]): string[];
export declare function freshen(options: {
  readonly state: () => MirrorState;
  readonly build: () => Promise<{ compiled: number }>;
  readonly trace?: (line: string) => void;
}): Promise<string | undefined>;
