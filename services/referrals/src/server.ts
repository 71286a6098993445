import { createLogger, runService, startOrExit } from '@ecd/service-kit';
import { loadReferralsConfig } from './config';
import { buildReferralsService } from './referrals-service';

startOrExit('referrals', async () => {
  const config = loadReferralsConfig();
  const logger = createLogger('referrals');
  const service = await buildReferralsService(config, logger);
  await runService({
    app: service.app,
    host: config.HOST,
    port: config.PORT,
    logger,
    start: () => service.start(),
    stop: () => service.stop(),
  });
});
