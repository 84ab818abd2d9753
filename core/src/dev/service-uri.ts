import type { Address, Hex } from 'viem';
import { connectChain } from '../chain/connection.js';
import { accountFromPrivateKey } from '../chain/eth-account.js';
import { serviceRegistryAbi } from '../chain/generated/abis.js';
import { confirmTx } from '../chain/ticket-broker-writes.js';

/** The orchestrator's own setServiceURI transaction, as `livepeer_cli` sends it when an operator sets up a node. */
export async function registerServiceUri(rpcUrl: string, serviceRegistry: Address, privateKey: string, uri: string): Promise<void> {
  const account = accountFromPrivateKey(privateKey);
  const { publicClient, walletClient } = await connectChain({ rpcUrl, account });
  const hash: Hex = await walletClient!.writeContract({
    address: serviceRegistry,
    abi: serviceRegistryAbi,
    functionName: 'setServiceURI',
    args: [uri],
    account,
    chain: walletClient!.chain,
  });
  await confirmTx(publicClient, hash, 'setServiceURI');
}
