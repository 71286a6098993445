import type { FastifyPluginAsync } from 'fastify';
import { dashboardView, type ReferralReport } from '../views/dashboard-views';
import { page, say } from '../views/layout';
import type { AreaOptions } from './area-options';
import { sendPage, signedIn } from './portal-context';

/** Who sees the dashboard: province supervisors, and commune leadership for their commune. */
const dashboardRoles = ['supervisor', 'commune-chairman', 'protection-officer', 'intake-staff'] as const;

export const supervisorRoutes: FastifyPluginAsync<AreaOptions> = async (app, { sessions, api }) => {
  app.get('/dashboard', { schema: { hide: true } }, async (request, reply) => {
    const s = signedIn(sessions, request, dashboardRoles);
    const report = await api.get<ReferralReport>(s.session, 'intake', '/reports/referrals', request.id);
    return sendPage(
      reply,
      page(s.ctx, say(s.ctx, 'Thống kê chuyển tuyến', 'Referral dashboard'), dashboardView(s.ctx, report)),
    );
  });
};
