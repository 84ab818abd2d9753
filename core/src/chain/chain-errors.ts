// The chain error codes live in the SDK catalogue (sdk/src/errors/codes/chain.ts)
// so plugins can branch on them; this single re-export is the only place core
// reaches into the SDK source tree, until the catalogue exports the area.
export { chainErrors } from '../../../sdk/src/errors/codes/chain.js';
