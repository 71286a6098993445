import { createHash, timingSafeEqual } from 'node:crypto';
import type { StaffRole } from '@ecd/service-kit';
import type { DemoStaffMember } from './demo-users';

/** A staff member as the provider knows them: no password. */
export interface StaffAccount {
  id: string;
  username: string;
  name: string;
  role: StaffRole;
  unitCode?: string;
  facilityId?: string;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * The accounts the provider signs in. Passwords are compared as digests in constant time, and an
 * unknown username costs the same comparison, so timing tells nothing about who exists.
 */
export class StaffDirectory {
  private readonly byId = new Map<string, StaffAccount>();
  private readonly byUsername = new Map<string, { account: StaffAccount; passwordDigest: Buffer }>();
  private readonly decoy = digest('no such account');

  constructor(members: readonly DemoStaffMember[]) {
    for (const { password, title: _title, ...account } of members) {
      const username = account.username.toLowerCase();
      if (this.byId.has(account.id) || this.byUsername.has(username)) {
        throw new Error(`identity: staff ${account.id} / ${account.username} is listed twice`);
      }
      this.byId.set(account.id, account);
      this.byUsername.set(username, { account, passwordDigest: digest(password) });
    }
  }

  findById(id: string): StaffAccount | undefined {
    return this.byId.get(id);
  }

  /** The account whose username and password match, or undefined. */
  authenticate(username: string, password: string): StaffAccount | undefined {
    const entry = this.byUsername.get(username.trim().toLowerCase());
    const matches = timingSafeEqual(entry?.passwordDigest ?? this.decoy, digest(password));
    return entry && matches ? entry.account : undefined;
  }
}

/** The claims a staff member's tokens carry (access token, ID token, userinfo). */
export function staffClaims(account: StaffAccount): Record<string, string> {
  return {
    name: account.name,
    preferred_username: account.username,
    role: account.role,
    ...(account.unitCode ? { unit_code: account.unitCode } : {}),
    ...(account.facilityId ? { facility_id: account.facilityId } : {}),
  };
}
