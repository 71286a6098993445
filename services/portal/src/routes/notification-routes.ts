import type { FastifyPluginAsync } from 'fastify';
import { say } from '../views/layout';
import { stepLabel } from '../views/protection-labels';
import { dueSoon, type ProtectionCaseSummary } from '../views/protection-views';
import type { AreaOptions } from './area-options';
import { signedIn } from './portal-context';

/** A notice for the in-app notification area: words and a link, never who the child is. */
export interface PortalNotice {
  id: string;
  text: string;
  href: string;
}

/**
 * What the protection officers' notification area shows besides the live events: every step of
 * their commune's cases due within two hours (or overdue), by case reference and step only.
 * `static/notifications.js` reads it on each page, each minute and on every protection event.
 */
export const notificationRoutes: FastifyPluginAsync<AreaOptions> = async (app, { sessions, api }) => {
  app.get('/notifications', { schema: { hide: true } }, async (request, reply) => {
    const s = signedIn(sessions, request, ['protection-officer']);
    const cases = await api.get<{ items: ProtectionCaseSummary[] }>(
      s.session,
      'protection',
      '/protection-cases',
      request.id,
    );
    const items: PortalNotice[] = dueSoon(cases.items).map(({ kase, clock }) => ({
      id: `due-${kase._id}-${clock.step}`,
      text: `${
        Date.parse(clock.dueAt) < Date.now()
          ? say(s.ctx, 'Quá hạn', 'Overdue')
          : say(s.ctx, 'Đến hạn trong 2 giờ', 'Due within 2 hours')
      }: ${stepLabel(clock.step, s.ctx.lang)} · ${say(s.ctx, 'hồ sơ', 'case')} ${kase._id.slice(0, 8)}`,
      href: `/protection-cases/${kase._id}`,
    }));
    return reply.header('cache-control', 'no-store').send({ items });
  });
};
