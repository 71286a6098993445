import { protectionEventTypes, referralEventTypes } from '@ecd/contracts';
import { handlersFor, type EventHandlers } from '@ecd/messaging';
import type { EscalationBoardRepository } from '../repositories/escalation-board-repository';

/** Every referral and protection event feeds the board; the projection decides what matters. */
export function boardEventHandlers(board: EscalationBoardRepository): EventHandlers {
  return handlersFor([...referralEventTypes, ...protectionEventTypes], async (event) => {
    await board.apply(event);
  });
}
