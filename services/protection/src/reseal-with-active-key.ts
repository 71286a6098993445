import { connectDatabase, createLogger, startOrExit } from '@ecd/service-kit';
import { loadProtectionConfig } from './config';
import { FieldCipher } from './domain/field-cipher';
import { ProtectionCaseRepository, createProtectionCaseModel } from './repositories/protection-case-repository';
import { SpecialCircumstanceRegister } from './repositories/special-circumstance-register';

/**
 * Key rotation, step 3 of docs/adr/0007: re-seals with the active key every field an older key
 * sealed, so the old key can then leave the keyring. Safe to run while the service runs and to
 * run again (it only touches fields sealed with another key).
 *
 *   node --import tsx services/protection/src/reseal-with-active-key.ts
 */
startOrExit('protection-reseal', async () => {
  const config = loadProtectionConfig();
  const logger = createLogger('protection-reseal');
  const cipher = FieldCipher.fromConfig(config.PROTECTION_ENCRYPTION_KEYS, config.PROTECTION_ENCRYPTION_KEY_ID);
  const db = await connectDatabase(config.MONGO_URL, logger);
  try {
    const cases = await new ProtectionCaseRepository(createProtectionCaseModel(db), cipher).resealWithActiveKey();
    const register = await new SpecialCircumstanceRegister(db, cipher).resealWithActiveKey();
    logger.info({ cases, register, activeKeyId: cipher.activeKeyId }, 'fields re-sealed with the active key');
  } finally {
    await db.close();
  }
});
