import mongoose from 'mongoose';
import { defaultSlaPolicies } from '@ecd/referral-policy';

/**
 * Publishes version 2 of a default SLA policy with an accept window of seconds, as an administrator
 * publishes a new version: referrals requested afterwards fall due (remind, escalate) while a test,
 * the benchmark or the drill watches. `referralsDatabaseUrl` is the referrals service's database.
 */
export async function publishShortPolicyVersion(
  referralsDatabaseUrl: string,
  policyId: string,
  {
    acceptSeconds,
    escalationIntervalSeconds = 3600,
    allowedExtensionRoles,
  }: {
    acceptSeconds: number;
    escalationIntervalSeconds?: number;
    /** Who may extend the deadlines of this version (default: as version 1). */
    allowedExtensionRoles?: string[];
  },
): Promise<void> {
  const base = defaultSlaPolicies.find((p) => p.id === policyId);
  if (!base) throw new Error(`no default SLA policy ${policyId}`);
  const db = await mongoose.createConnection(referralsDatabaseUrl).asPromise();
  try {
    await db.collection('sla_policies').insertOne({
      ...base,
      _id: `${policyId}@2`,
      version: 2,
      acceptWithin: { amount: acceptSeconds / 3600, unit: 'hours' },
      reminderAt: [0.5],
      escalationInterval: { amount: escalationIntervalSeconds / 3600, unit: 'hours' },
      ...(allowedExtensionRoles ? { allowedExtensionRoles } : {}),
      createdAt: new Date().toISOString(),
    } as never);
  } finally {
    await db.close();
  }
}
