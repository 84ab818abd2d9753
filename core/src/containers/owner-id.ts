import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * Who owns the containers a node creates (CONTAINER_OWNER_LABEL): derived
 * from the absolute data dir, so a restarted node finds its containers again
 * and two nodes on one machine (two data dirs) never see each other's. No
 * file is written: `lpx containers list` computes the same id from the config.
 * Nodes on different machines sharing one remote engine need different data
 * dir paths (docs/adr/0028-container-runtime.md).
 */
export function containerOwnerId(dataDir: string): string {
  return `lpx-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16)}`;
}
