import { Schema, type Connection, type Model } from 'mongoose';
import { ADMINISTRATIVE_UNITS_SUBJECT, createEvent, type CloudEvent } from '@ecd/contracts';
import type { Actor } from '@ecd/referral-client';
import { outboxSchemaFields, stageOnInsert, type OutboxDocumentFields } from '@ecd/messaging';
import type { AdministrativeUnit } from '@ecd/referral-policy';

/** An applied import: who, when, and the units it set (the record the audit entry points to). */
export interface AdministrativeUnitImport {
  _id: string;
  at: string;
  by: Actor;
  units: AdministrativeUnit[];
}

/**
 * Imports of administrative units. Each import is one document holding its rows and, in the same
 * single-document write, one `administrative-unit.updated` event per row (outbox): an import is
 * announced whole or not at all.
 */
export class AdministrativeUnitImportRepository {
  readonly model: Model<AdministrativeUnitImport & OutboxDocumentFields>;

  constructor(connection: Connection) {
    const schema = new Schema<AdministrativeUnitImport & OutboxDocumentFields>(
      {
        _id: String,
        at: { type: String, required: true },
        by: { type: Schema.Types.Mixed, required: true },
        units: { type: Schema.Types.Mixed, required: true },
        ...outboxSchemaFields,
      },
      { collection: 'administrative_unit_imports', versionKey: false },
    );
    this.model = connection.model<AdministrativeUnitImport & OutboxDocumentFields>('AdministrativeUnitImport', schema);
  }

  /** The events an import announces, in row order (parents first when the file lists them first). */
  static events(record: AdministrativeUnitImport): CloudEvent<'administrative-unit.updated.v1'>[] {
    return record.units.map((unit) =>
      createEvent({
        id: `${record._id}:${unit.code}`,
        type: 'administrative-unit.updated.v1',
        source: '/services/intake',
        subject: ADMINISTRATIVE_UNITS_SUBJECT,
        time: record.at,
        data: {
          code: unit.code,
          name: unit.name,
          level: unit.level,
          ...(unit.parentCode ? { parentCode: unit.parentCode } : {}),
          importId: record._id,
          at: record.at,
          by: record.by,
        },
      }),
    );
  }

  /** Stores the import with its events; false when an import with this id exists (a retry). */
  async insert(record: AdministrativeUnitImport): Promise<boolean> {
    try {
      await this.model.collection.insertOne({
        ...record,
        ...stageOnInsert(AdministrativeUnitImportRepository.events(record)),
      } as never);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return false;
    }
  }

  async find(importId: string): Promise<AdministrativeUnitImport | null> {
    return this.model.findById(importId, { outbox: 0, outboxPending: 0 }).lean<AdministrativeUnitImport>();
  }
}
