import type { NodeStatus } from '../../../core/src/observability/status/status-types.js';
import { card, facts, h, table } from '../dom.js';
import { formatCount, formatEth } from '../format.js';

/** Spend (gateway), earnings (orchestrator) and the sender's deposit and reserve; only the parts this node has. */
export function moneyCards(status: NodeStatus): HTMLElement[] {
  const cards: HTMLElement[] = [];
  const { gateway, orchestrator, funds } = status;
  if (gateway !== undefined) {
    cards.push(
      card(
        'spend',
        'Spend (gateway)',
        facts([
          ['Tickets sent', formatCount(gateway.ticketsSent)],
          ['Ticket value sent', gateway.ticketValueSentWei === undefined ? 'not counted' : formatEth(gateway.ticketValueSentWei)],
          ['Orchestrator failures', formatCount(gateway.orchestratorFailures)],
        ]),
      ),
    );
  }
  if (orchestrator !== undefined) {
    const redemptions = Object.entries(orchestrator.redemptions).sort(([a], [b]) => a.localeCompare(b));
    cards.push(
      card(
        'earnings',
        'Earnings (orchestrator)',
        facts([
          ['Tickets received', formatCount(orchestrator.ticketsReceived)],
          ['Tickets credited', formatCount(orchestrator.ticketsCredited)],
          ['Winning tickets', formatCount(orchestrator.winningTickets)],
          ['Refused', formatCount(orchestrator.ticketRefusals)],
          ['Redeemed value', formatEth(orchestrator.redeemedWei)],
        ]),
        h('h3', {}, 'Redemptions'),
        table(['Outcome', 'Count'], redemptions.map(([outcome, n]) => [outcome, formatCount(n)]), 'No redemptions attempted yet.'),
      ),
    );
  }
  if (funds !== undefined) {
    cards.push(
      card(
        'funds',
        'Deposit and reserve',
        funds.error !== undefined
          ? h('p', { class: 'error' }, `Chain read failed: ${funds.error}`)
          : facts([
              ['Deposit', formatEth(funds.depositWei)],
              ['Reserve', formatEth(funds.reserveWei)],
              ['Unlocking', funds.withdrawRound === '0' ? 'no' : `withdraw round ${funds.withdrawRound}`],
            ]),
      ),
    );
  }
  return cards;
}
