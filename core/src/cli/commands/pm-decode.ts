import type { Command } from 'commander';
import { decodePaymentHeader } from '../../payments/index.js';
import { reportError, type Io } from '../output.js';

export function addPmCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const pm = program.command('pm').description('probabilistic micropayment tools');
  pm.command('decode')
    .description('decode a base64 Livepeer-Payment header: tickets, signers and whether each signature is valid (JSON)')
    .argument('<header>', 'the base64 value of the Livepeer-Payment header')
    .action((header: string) => {
      try {
        io.out(JSON.stringify(decodePaymentHeader(header.trim()), null, 2));
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, true));
      }
    });
}
