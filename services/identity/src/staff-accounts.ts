import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { StaffRole } from '@ecd/service-kit';
import type { DemoStaffMember } from './demo-users';
import { hashPassword, verifyPassword } from './passwords';

/** A staff member as the provider knows them: no password. */
export interface StaffAccount {
  id: string;
  username: string;
  name: string;
  role: StaffRole;
  unitCode?: string;
  facilityId?: string;
}

export interface StaffAccountView extends StaffAccount {
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface StaffAccountDocument {
  _id: string;
  username: string;
  name: string;
  role: StaffRole;
  unitCode?: string;
  facilityId?: string;
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Who changed an account (the administrator's token), for the audit trail. */
export interface AccountActor {
  userId: string;
  role: string;
}

export interface AccountAuditEntry {
  _id: string;
  at: string;
  actor: AccountActor;
  action: 'create' | 'disable' | 'enable' | 'reset-password' | 'assign' | 'seed';
  accountId: string;
  /** What changed (never a password or its hash). */
  changes: Record<string, unknown>;
}

export class AccountConflict extends Error {
  override name = 'AccountConflict';
}

const view = ({ _id, passwordHash: _hash, ...rest }: StaffAccountDocument): StaffAccountView => ({ id: _id, ...rest });
const account = ({ id, username, name, role, unitCode, facilityId }: StaffAccountView): StaffAccount => ({
  id,
  username,
  name,
  role,
  ...(unitCode ? { unitCode } : {}),
  ...(facilityId ? { facilityId } : {}),
});

/**
 * The provider's staff accounts, in its own database (collection `staff_accounts`), passwords
 * hashed with scrypt; every change by an administrator is appended to `staff_account_audit`
 * (append-only here: no update or delete of entries). A disabled account cannot sign in, and no
 * token is issued for it.
 */
export class StaffAccounts {
  readonly #accounts: Model<StaffAccountDocument>;
  readonly #audit: Model<AccountAuditEntry>;
  /** Compared against when the username is unknown, so timing tells nothing about who exists. */
  readonly #decoy = hashPassword(randomUUID());

  constructor(connection: Connection) {
    this.#accounts = connection.model<StaffAccountDocument>(
      'StaffAccount',
      new Schema<StaffAccountDocument>(
        {
          _id: String,
          username: { type: String, required: true, unique: true },
          name: { type: String, required: true },
          role: { type: String, required: true },
          unitCode: String,
          facilityId: String,
          passwordHash: { type: String, required: true },
          disabled: { type: Boolean, required: true },
          createdAt: { type: String, required: true },
          updatedAt: { type: String, required: true },
        },
        { collection: 'staff_accounts', versionKey: false },
      ),
    );
    this.#audit = connection.model<AccountAuditEntry>(
      'StaffAccountAudit',
      new Schema<AccountAuditEntry>(
        {
          _id: String,
          at: { type: String, required: true },
          actor: { userId: String, role: String },
          action: { type: String, required: true },
          accountId: { type: String, required: true, index: true },
          changes: Schema.Types.Mixed,
        },
        { collection: 'staff_account_audit', versionKey: false },
      ),
    );
  }

  async init(): Promise<void> {
    await Promise.all([this.#accounts.init(), this.#audit.init()]);
  }

  /** The demo staff (development and tests only): added when missing, never overwritten. */
  async seed(members: readonly DemoStaffMember[]): Promise<number> {
    const existing = new Set(
      (await this.#accounts.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((a) => String(a._id)),
    );
    const missing = members.filter((m) => !existing.has(m.id));
    await Promise.all(
      missing.map(async ({ password, title: _title, id, ...member }) => {
        const now = new Date().toISOString();
        await this.#accounts.create({
          _id: id,
          ...member,
          username: member.username.toLowerCase(),
          passwordHash: await hashPassword(password),
          disabled: false,
          createdAt: now,
          updatedAt: now,
        });
        await this.#record({ userId: 'seed', role: 'system' }, 'seed', id, { username: member.username });
      }),
    );
    return missing.length;
  }

  /** An account that may receive tokens (not disabled). */
  async findById(id: string): Promise<StaffAccount | undefined> {
    const found = await this.#accounts.findById(id).lean<StaffAccountDocument>();
    return found && !found.disabled ? account(view(found)) : undefined;
  }

  /** The enabled account whose username and password match, or undefined (same cost either way). */
  async authenticate(username: string, password: string): Promise<StaffAccount | undefined> {
    const found = await this.#accounts
      .findOne({ username: username.trim().toLowerCase() })
      .lean<StaffAccountDocument>();
    const matches = await verifyPassword(password, found?.passwordHash ?? (await this.#decoy));
    return found && matches && !found.disabled ? account(view(found)) : undefined;
  }

  async list(): Promise<StaffAccountView[]> {
    return (await this.#accounts.find().sort({ username: 1 }).lean<StaffAccountDocument[]>()).map(view);
  }

  async get(id: string): Promise<StaffAccountView | undefined> {
    const found = await this.#accounts.findById(id).lean<StaffAccountDocument>();
    return found ? view(found) : undefined;
  }

  async create(input: Omit<StaffAccount, 'id'> & { password: string }, actor: AccountActor): Promise<StaffAccountView> {
    const username = input.username.trim().toLowerCase();
    if (await this.#accounts.exists({ username })) throw new AccountConflict(`username ${username} is taken`);
    const now = new Date().toISOString();
    const id = `staff-${randomUUID()}`;
    const { password, ...rest } = input;
    const document: StaffAccountDocument = {
      _id: id,
      ...rest,
      username,
      passwordHash: await hashPassword(password),
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.#accounts.create(document);
    const { passwordHash: _hash, _id, ...changes } = document;
    await this.#record(actor, 'create', id, changes);
    return view(document);
  }

  async setDisabled(id: string, disabled: boolean, actor: AccountActor): Promise<StaffAccountView | undefined> {
    const updated = await this.#update(id, { disabled });
    if (updated) await this.#record(actor, disabled ? 'disable' : 'enable', id, { disabled });
    return updated;
  }

  async resetPassword(id: string, password: string, actor: AccountActor): Promise<StaffAccountView | undefined> {
    const updated = await this.#update(id, { passwordHash: await hashPassword(password) });
    if (updated) await this.#record(actor, 'reset-password', id, {});
    return updated;
  }

  /** A new role and scope: a commune or province (`unitCode`) or a facility (`facilityId`). */
  async assign(
    id: string,
    assignment: Pick<StaffAccount, 'role' | 'unitCode' | 'facilityId'>,
    actor: AccountActor,
  ): Promise<StaffAccountView | undefined> {
    const before = await this.get(id);
    if (!before) return undefined;
    const updated = await this.#update(
      id,
      { role: assignment.role },
      {
        unitCode: assignment.unitCode,
        facilityId: assignment.facilityId,
      },
    );
    if (updated) {
      await this.#record(actor, 'assign', id, {
        from: { role: before.role, unitCode: before.unitCode, facilityId: before.facilityId },
        to: assignment,
      });
    }
    return updated;
  }

  async auditTrail(accountId?: string, limit = 200): Promise<AccountAuditEntry[]> {
    return this.#audit
      .find(accountId ? { accountId } : {})
      .sort({ at: -1 })
      .limit(limit)
      .lean<AccountAuditEntry[]>();
  }

  async #update(
    id: string,
    set: Partial<StaffAccountDocument>,
    optional: Record<string, string | undefined> = {},
  ): Promise<StaffAccountView | undefined> {
    const unset = Object.fromEntries(
      Object.entries(optional)
        .filter(([, v]) => v === undefined)
        .map(([k]) => [k, 1]),
    );
    const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
    const updated = await this.#accounts
      .findByIdAndUpdate(
        id,
        {
          $set: { ...set, ...present, updatedAt: new Date().toISOString() },
          ...(Object.keys(unset).length ? { $unset: unset } : {}),
        },
        { new: true },
      )
      .lean<StaffAccountDocument>();
    return updated ? view(updated) : undefined;
  }

  async #record(
    actor: AccountActor,
    action: AccountAuditEntry['action'],
    accountId: string,
    changes: Record<string, unknown>,
  ): Promise<void> {
    await this.#audit.collection.insertOne({
      _id: randomUUID(),
      at: new Date().toISOString(),
      actor,
      action,
      accountId,
      changes,
    } as never);
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
