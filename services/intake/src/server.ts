import { createLogger, runService, startOrExit } from '@ecd/service-kit';
import { loadIntakeConfig } from './config';
import { buildIntakeService } from './intake-service';

startOrExit('intake', async () => {
  const config = loadIntakeConfig();
  const logger = createLogger('intake');
  const service = await buildIntakeService(config, logger);
  await runService({
    app: service.app,
    host: config.HOST,
    port: config.PORT,
    logger,
    start: () => service.start(),
    stop: () => service.stop(),
  });
});
