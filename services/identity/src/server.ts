import { createLogger, runService, startOrExit } from '@ecd/service-kit';
import { loadIdentityConfig } from './config';
import { buildIdentityService } from './identity-service';

startOrExit('identity', async () => {
  const config = loadIdentityConfig();
  const logger = createLogger('identity');
  const service = await buildIdentityService(config, logger);
  await runService({
    app: service.app,
    host: config.HOST,
    port: config.PORT,
    logger,
    start: () => service.start(),
    stop: () => service.stop(),
  });
});
