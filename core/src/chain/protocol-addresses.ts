import { zeroAddress, type Address } from 'viem';
import { chainErrors } from './chain-errors.js';
import type { ChainPublicClient } from './connection.js';
import { contractId, PROTOCOL_CONTRACT_NAMES, type ProtocolContractName } from './contract-names.js';
import { controllerAbi } from './generated/abis.js';

export type ProtocolAddresses = { controller: Address } & {
  [K in ProtocolContractName as Uncapitalize<K>]: Address;
};

const uncapitalize = <S extends string>(name: S): Uncapitalize<S> =>
  (name.charAt(0).toLowerCase() + name.slice(1)) as Uncapitalize<S>;

/** Looks one contract up in the Controller by keccak256(name). */
export async function resolveContract(client: ChainPublicClient, controller: Address, name: string): Promise<Address> {
  const address = await client.readContract({
    address: controller,
    abi: controllerAbi,
    functionName: 'getContract',
    args: [contractId(name)],
  });
  if (address === zeroAddress) {
    throw chainErrors.CONTRACT_NOT_REGISTERED.create(`Controller ${controller} has no contract registered as "${name}"`, {
      details: { controller, name },
    });
  }
  return address;
}

/** Resolves every protocol contract we use through the Controller, the way go-livepeer does at start. */
export async function resolveProtocolAddresses(client: ChainPublicClient, controller: Address): Promise<ProtocolAddresses> {
  const code = await client.getCode({ address: controller });
  if (code === undefined || code === '0x') {
    throw chainErrors.NO_CONTRACT_CODE.create(`no contract code at Controller address ${controller}`, { details: { controller } });
  }
  const resolved = await Promise.all(PROTOCOL_CONTRACT_NAMES.map((name) => resolveContract(client, controller, name)));
  const addresses: Record<string, Address> = { controller };
  PROTOCOL_CONTRACT_NAMES.forEach((name, index) => {
    addresses[uncapitalize(name)] = resolved[index] as Address;
  });
  return addresses as ProtocolAddresses;
}
