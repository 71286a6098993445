import { protectionEventTypes, referralEventTypes, type CloudEvent } from '@ecd/contracts';
import type { EventHandlers } from '@ecd/messaging';
import type { EscalationBoardRepository } from '../repositories/escalation-board-repository';

/** Every referral and protection event feeds the board; the projection decides what matters. */
export function boardEventHandlers(board: EscalationBoardRepository): EventHandlers {
  const apply = async (event: CloudEvent) => {
    await board.apply(event);
  };
  return Object.fromEntries([...referralEventTypes, ...protectionEventTypes].map((type) => [type, apply]));
}
