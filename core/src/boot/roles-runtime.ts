/**
 * The network roles a node runs besides its plugins: orchestrator (paid work
 * in, over go-livepeer's wire) and gateway (client jobs in, routed to
 * orchestrators). Both share the node's key and chain connection. Roles that
 * touch HTTP routes register them before the edge is ready; the rest starts
 * after the workers, so no paid request arrives before work can be done.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KernelConfig } from '../config/kernel-schema.js';
import type { GatewayRole } from '../roles/gateway/gateway-role.js';
import type { OrchestratorRole } from '../roles/orchestrator/orchestrator-role.js';
import type { ChainPaymentSources } from '../payments-chain/create-sources.js';
import type { KernelServices } from './kernel-services.js';
import type { TeardownStack } from './teardown-stack.js';

export interface RolesRuntime {
  readonly address: string | undefined;
  readonly orchestrator: OrchestratorRole | undefined;
  readonly gateway: GatewayRole | undefined;
  /** The chain connection the roles share (deposit and reserve on /status); undefined offchain. */
  readonly chain?: ChainPaymentSources | undefined;
  start(): Promise<void>;
}

export interface RolesContext {
  readonly config: KernelConfig;
  readonly kernel: KernelServices;
  readonly app: FastifyInstance;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly teardown: TeardownStack;
}

export async function prepareRoles(ctx: RolesContext): Promise<RolesRuntime> {
  const { config } = ctx;
  const wantsOrchestrator = config.node.roles.includes('orchestrator');
  const wantsGateway = config.node.roles.includes('gateway');
  // An orchestrator with the redeemer role redeems inside its own settlement; without it, a
  // redeemer-only node works the queue of its key (the orchestrator's) on the same Redis.
  const wantsRedeemerOnly = config.node.roles.includes('redeemer') && !wantsOrchestrator;
  if (!wantsOrchestrator && !wantsGateway && !wantsRedeemerOnly) {
    return { address: undefined, orchestrator: undefined, gateway: undefined, start: async () => {} };
  }
  // Imported here, not at the top: a worker-only node never loads viem, the chain or the role code (ADR 0059).
  const [{ secp256k1BackendChoice }, { openChain }, { prepareGatewayRole }, { nodeAccount }, { startOrchestratorRole }, { startRedeemerRole }] = await Promise.all([
    import('../payments/index.js'),
    import('../roles/chain-context.js'),
    import('../roles/gateway/gateway-role.js'),
    import('../roles/node-account.js'),
    import('../roles/orchestrator/orchestrator-role.js'),
    import('../settlement/redeemer-role.js'),
  ]);
  const { account } = await nodeAccount(config);
  // Once per process: which secp256k1 signs tickets and job requests, and why (a missing prebuild is slow, not broken).
  const secp = secp256k1BackendChoice();
  ctx.logger.info({ secp256k1: secp.backend.name }, `secp256k1: ${secp.backend.name} (${secp.reason})`);
  const chain = await openChain(config, ctx.logger, ctx.teardown);
  const gateway = wantsGateway ? await prepareGatewayRole({ ...ctx, chain, account }) : undefined;
  const runtime: { -readonly [K in keyof RolesRuntime]: RolesRuntime[K] } = {
    address: account.address,
    orchestrator: undefined,
    gateway,
    chain,
    async start() {
      if (wantsOrchestrator) runtime.orchestrator = await startOrchestratorRole({ ...ctx, chain, account });
      else if (wantsRedeemerOnly) await startRedeemerRole({ config, account, redisUrl: ctx.kernel.redisUrl, logger: ctx.logger, metrics: ctx.metrics, teardown: ctx.teardown });
      await gateway?.start();
    },
  };
  return runtime;
}
