import { createLogger, runService, startOrExit } from '@ecd/service-kit';
import { loadHealthConfig } from './config';
import { buildHealthService } from './health-service';

startOrExit('health', async () => {
  const config = loadHealthConfig();
  const logger = createLogger('health');
  const service = await buildHealthService(config, logger);
  await runService({
    app: service.app,
    host: config.HOST,
    port: config.PORT,
    logger,
    start: () => service.start(),
    stop: () => service.stop(),
  });
});
