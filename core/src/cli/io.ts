/**
 * Where the CLI writes. Kept apart from output.ts (which reads the sdk's error
 * catalogue) so the program skeleton loads without the sdk (ADR 0059).
 */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
