/**
 * Kafka topics. One topic per aggregate family; messages are keyed by case id so every event of
 * a case stays in order on one partition.
 */
export const Topics = {
  cases: 'ecd.cases.v1',
  referrals: 'ecd.referrals.v1',
  /** Protection cases' public stages and step deadlines; never their details. */
  protection: 'ecd.protection.v1',
  /** The facility directory: every service point that takes referrals, keyed by facility id. */
  facilities: 'ecd.facilities.v1',
  /** The child register's changes (corrections, transfers between communes), keyed by child id; never names. */
  children: 'ecd.children.v1',
  deadLetter: 'ecd.dead-letter.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];
