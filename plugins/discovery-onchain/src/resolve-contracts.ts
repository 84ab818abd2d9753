import { keccak256, stringToBytes, zeroAddress, type Address, type PublicClient } from 'viem';
import { discoveryErrors } from './discovery-errors.js';
import { controllerAbi } from './protocol-abis.js';

export interface DiscoveryContracts {
  readonly bondingManager: Address;
  /** The Controller's ServiceRegistry, or the configured AIServiceRegistry in its place. */
  readonly serviceRegistry: Address;
  /** Only resolved when the activation-round filter needs it. */
  readonly roundsManager?: Address;
}

export interface ResolveOptions {
  readonly controller: Address;
  readonly aiServiceRegistry?: Address | undefined;
  readonly needRounds: boolean;
}

/** Controller key for a contract: keccak256 of its UTF-8 name, as the protocol registers it. */
export function controllerKey(name: string): `0x${string}` {
  return keccak256(stringToBytes(name));
}

/**
 * Looks the discovery contracts up through the Controller. go-livepeer's
 * -aiServiceRegistry swaps only the ServiceRegistry address; stake and rounds
 * still come from the Controller's contracts, so we do the same.
 */
export async function resolveDiscoveryContracts(client: PublicClient, options: ResolveOptions): Promise<DiscoveryContracts> {
  await requireCode(client, options.controller, 'Controller');
  const lookUp = async (name: string): Promise<Address> => {
    const address = await client.readContract({ address: options.controller, abi: controllerAbi, functionName: 'getContract', args: [controllerKey(name)] });
    if (address === zeroAddress) {
      throw discoveryErrors.ONCHAIN_CONTRACT_MISSING.create(`Controller ${options.controller} has no contract registered as "${name}"`, {
        details: { controller: options.controller, name },
      });
    }
    return address;
  };
  const [bondingManager, serviceRegistry, roundsManager] = await Promise.all([
    lookUp('BondingManager'),
    options.aiServiceRegistry === undefined ? lookUp('ServiceRegistry') : requireCode(client, options.aiServiceRegistry, 'AIServiceRegistry'),
    options.needRounds ? lookUp('RoundsManager') : Promise.resolve(undefined),
  ]);
  return roundsManager === undefined ? { bondingManager, serviceRegistry } : { bondingManager, serviceRegistry, roundsManager };
}

/** A mistyped address reads as "no data" from every call; saying "no contract here" is the useful error. */
async function requireCode(client: PublicClient, address: Address, name: string): Promise<Address> {
  const code = await client.getCode({ address });
  if (code === undefined || code === '0x') {
    throw discoveryErrors.ONCHAIN_CONTRACT_MISSING.create(`no contract code at the ${name} address ${address}`, { details: { [name]: address } });
  }
  return address;
}
