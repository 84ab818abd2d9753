// The network error codes live in the SDK catalogue (sdk/src/errors/codes/network.ts)
// so plugins can branch on them; core reaches into the SDK source tree here
// only, until the catalogue exports the area.
export { networkErrors } from '../../../sdk/src/errors/codes/network.js';
