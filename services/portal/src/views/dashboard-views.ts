import { ReferralStates, Sectors } from '@ecd/contracts';
import { barChart, stackedChart } from './charts';
import { formatInstant } from './format';
import { html, type SafeHtml } from './html';
import { sectorLabel, stateLabel } from './labels';
import { say, type PageContext } from './layout';

/** The intake service's referral figures (GET /reports/referrals). */
export interface ReferralReport {
  unitCode: string;
  generatedAt: string;
  communes: { code: string; name: string }[];
  bySectorAndState: { sector: string; state: string; count: number }[];
  accepted: { total: number; onTime: number };
  completed: { total: number; onTime: number };
  escalationsByLevel: { level: number; referrals: number }[];
  childrenReachedBySector: { sector: string; children: number }[];
  perCommune: {
    communeCode: string;
    name: string;
    referrals: number;
    completed: number;
    escalated: number;
    childrenReached: number;
  }[];
}

/** Each state its own colour: waiting amber, in hand blue, done green, refused red (≥ 3:1 on white). */
const stateColours: Record<string, string> = {
  REQUESTED: '#8a5a00',
  ACCEPTED: '#0b4f8a',
  IN_SERVICE: '#006d75',
  COMPLETED: '#1d6b31',
  DECLINED: '#a11d1d',
  WITHDRAWN: '#4a4f57',
  REDIRECTED: '#5b3a8a',
  CLOSED_UNRESOLVED: '#7a3b00',
};

const share = (part: number, total: number) => (total === 0 ? '—' : `${Math.round((part / total) * 100)}%`);

export function dashboardView(ctx: PageContext, report: ReferralReport): SafeHtml {
  const sectors = Sectors.filter((s) => report.bySectorAndState.some((r) => r.sector === s));
  const total = report.bySectorAndState.reduce((sum, r) => sum + r.count, 0);
  return html`<p class="muted">
      ${say(ctx, 'Địa bàn', 'Area')}: ${report.unitCode} · ${report.communes.length}
      ${say(ctx, 'xã/phường', 'communes')} · ${say(ctx, 'số liệu lúc', 'figures at')}
      ${formatInstant(report.generatedAt)}
    </p>
    <div class="figures">
      <div class="card">
        <div class="stat">${total}</div>
        ${say(ctx, 'lượt chuyển tuyến', 'referrals')}
      </div>
      <div class="card">
        <div class="stat" data-figure="accepted-on-time">${share(report.accepted.onTime, report.accepted.total)}</div>
        ${say(ctx, 'tiếp nhận đúng hạn', 'accepted on time')} (${report.accepted.onTime}/${report.accepted.total})
      </div>
      <div class="card">
        <div class="stat" data-figure="completed-on-time">
          ${share(report.completed.onTime, report.completed.total)}
        </div>
        ${say(ctx, 'hoàn thành đúng hạn', 'completed on time')} (${report.completed.onTime}/${report.completed.total})
      </div>
      <div class="card">
        <div class="stat">${report.escalationsByLevel.reduce((sum, l) => sum + l.referrals, 0)}</div>
        ${say(ctx, 'chuyển tuyến bị báo cáo vượt cấp', 'referrals escalated')}
      </div>
    </div>
    <div class="charts">
      ${stackedChart(
        'by-sector-state',
        say(ctx, 'Chuyển tuyến theo lĩnh vực và trạng thái', 'Referrals by sector and state'),
        sectors.map((sector) => ({
          label: sectorLabel(sector, ctx.lang),
          parts: ReferralStates.map((state) => ({
            key: state,
            value: report.bySectorAndState.find((r) => r.sector === sector && r.state === state)?.count ?? 0,
          })),
        })),
        ReferralStates.map((state) => ({
          key: state,
          label: stateLabel(state, ctx.lang),
          colour: stateColours[state],
        })),
        [say(ctx, 'Lĩnh vực — trạng thái', 'Sector — state'), say(ctx, 'Số lượt', 'Referrals')],
      )}
      ${barChart(
        'escalations',
        say(ctx, 'Báo cáo vượt cấp theo cấp cao nhất đã đến', 'Escalations by the highest level reached'),
        report.escalationsByLevel.length
          ? report.escalationsByLevel.map((l) => ({
              label: `${say(ctx, 'Cấp', 'Level')} ${l.level}`,
              value: l.referrals,
            }))
          : [{ label: say(ctx, 'Chưa có', 'None'), value: 0 }],
        { colour: '#a11d1d' },
      )}
      ${barChart(
        'children-reached',
        say(ctx, 'Trẻ đã nhận dịch vụ theo lĩnh vực', 'Children reached by domain'),
        report.childrenReachedBySector.map((r) => ({ label: sectorLabel(r.sector, ctx.lang), value: r.children })),
        { colour: '#1d6b31' },
      )}
      ${barChart(
        'per-commune',
        say(ctx, 'Chuyển tuyến theo xã', 'Referrals per commune'),
        report.perCommune.map((c) => ({ label: c.name, value: c.referrals })),
      )}
    </div>
    <section aria-labelledby="commune-table">
      <h2 id="commune-table">${say(ctx, 'Theo từng xã', 'Per commune')}</h2>
      <div class="table-wrap" role="region" tabindex="0" aria-labelledby="commune-table">
        <table>
          <thead>
            <tr>
              <th scope="col">${say(ctx, 'Xã/phường', 'Commune')}</th>
              <th scope="col">${say(ctx, 'Chuyển tuyến', 'Referrals')}</th>
              <th scope="col">${say(ctx, 'Hoàn thành', 'Completed')}</th>
              <th scope="col">${say(ctx, 'Vượt cấp', 'Escalated')}</th>
              <th scope="col">${say(ctx, 'Trẻ đã nhận dịch vụ', 'Children reached')}</th>
            </tr>
          </thead>
          <tbody>
            ${report.perCommune.map(
              (c) =>
                html`<tr>
                  <th scope="row">${c.name} <span class="muted">(${c.communeCode})</span></th>
                  <td>${c.referrals}</td>
                  <td>${c.completed}</td>
                  <td>${c.escalated}</td>
                  <td>${c.childrenReached}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
}
