import { createLogger, runService, startOrExit } from '@ecd/service-kit';
import { loadEducationConfig } from './config';
import { buildEducationService } from './education-service';

startOrExit('education', async () => {
  const config = loadEducationConfig();
  const logger = createLogger('education');
  const service = await buildEducationService(config, logger);
  await runService({
    app: service.app,
    host: config.HOST,
    port: config.PORT,
    logger,
    start: () => service.start(),
    stop: () => service.stop(),
  });
});
