import Type from 'typebox';
import { Actor } from '../fields';
import { referralEvent } from './referral-events';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const UnitCode = Type.String({ pattern: '^[0-9]{2,5}$' });

/**
 * The child moved to another commune while the referral was open: `fromUnitCode` is now the
 * receiving commune (the bottom of the escalation ladder from here on), `previousUnitCode` the
 * commune it came from. Every read model keyed on the commune moves the referral.
 */
export const ReferralTransferredV1 = referralEvent({
  by: Actor,
  transferId: Id,
  previousUnitCode: UnitCode,
});
