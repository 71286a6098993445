import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { stringify } from 'csv-stringify/sync';
import { HttpProblem, requireRole, signedInStaff, standardErrorResponses, type AuthHook } from '@ecd/service-kit';
import type { ReportCycleCommands } from '../commands/report-cycle-commands';
import { indicatorDefinitions } from '../domain/indicators';
import { ReportCycleRefusal, ReportStates } from '../domain/report-cycle';
import { reportIdOf, type ReportRecord, type ReportRepository } from '../repositories/report-repository';
import {
  CompletenessView,
  IndicatorValuesView,
  NarrativeBody,
  OpenPeriodView,
  PeriodParams,
  ReasonBody,
  ReportParams,
  ReportView,
  UnitQuery,
} from './report-schemas';

export interface ReportRoutesOptions {
  authenticate: AuthHook;
  commands: ReportCycleCommands;
  reports: ReportRepository;
}

const security = [{ bearer: [] }];

/** A refusal of the cycle as the HTTP answer people read. */
async function refusalsAsProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReportCycleRefusal) throw new HttpProblem(error.status, error.message);
    throw error;
  }
}

export const reportRoutes: FastifyPluginAsync<ReportRoutesOptions> = async (fastify, options) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { commands, reports } = options;
  const signedIn = { onRequest: [options.authenticate] };
  const reportingStaff = { onRequest: [options.authenticate, requireRole('commune-chairman', 'supervisor')] };

  /** The report, if the caller may read it (their unit or one below theirs); 404 otherwise, naming nothing. */
  const readable = async (request: FastifyRequest, reportId: string): Promise<ReportRecord> => {
    const staff = signedInStaff(request);
    const report = await reports.get(reportId);
    if (!report || !commands.mayRead(staff, report.unitCode)) {
      throw new HttpProblem(404, `no report ${reportId} in your area (is the period open?)`);
    }
    return report;
  };
  const withCurrentValues = async (report: ReportRecord) =>
    report.state === 'draft' || report.state === 'returned'
      ? { ...report, currentValues: await commands.currentValues(report.periodId, report.unitCode) }
      : report;

  app.get(
    '/indicators',
    {
      ...signedIn,
      schema: {
        summary: 'The indicator definitions (versioned): numerator, denominator, targets, legal source',
        tags: ['indicators'],
        security,
        response: { 200: Type.Array(Type.Unknown()), ...standardErrorResponses },
      },
    },
    async () => [...indicatorDefinitions],
  );

  app.get(
    '/indicator-values/:periodId',
    {
      ...reportingStaff,
      schema: {
        summary: 'A unit’s figures for a period now (live, from events; a submitted report keeps its own)',
        tags: ['indicators'],
        security,
        params: PeriodParams,
        querystring: UnitQuery,
        response: { 200: IndicatorValuesView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = signedInStaff(request);
      const unitCode = request.query.unitCode ?? staff.unitCode ?? '';
      if (!commands.mayRead(staff, unitCode)) throw new HttpProblem(403, `unit ${unitCode} is outside your area`);
      const { periodId } = request.params;
      return { periodId, unitCode, values: await commands.currentValues(periodId, unitCode) };
    },
  );

  app.post(
    '/reporting-periods/:periodId/open',
    {
      onRequest: [options.authenticate, requireRole('supervisor')],
      schema: {
        summary: 'Open a reporting period in your province: a draft report and a deadline per unit',
        description:
          'Due dates come from the province’s data (15/5 semi-annual, 15/11 annual by default); a due date on a ' +
          'day off runs to the next working day. Opening again opens only what is missing.',
        tags: ['reports'],
        security,
        params: PeriodParams,
        response: { 200: OpenPeriodView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = signedInStaff(request);
      const provinceCode = staff.unitCode ?? '';
      if (commands.position(provinceCode).parentUnitCode !== undefined) {
        throw new HttpProblem(403, 'only a supervisor of a province opens its reporting period');
      }
      const { periodId } = request.params;
      const result = await commands.openPeriod(periodId, provinceCode);
      const report = await reports.get(reportIdOf(periodId, provinceCode));
      return { periodId, dueDate: report?.dueDate ?? '', ...result };
    },
  );

  app.get(
    '/reporting-periods/:periodId/completeness',
    {
      ...reportingStaff,
      schema: {
        summary: 'Each unit’s report state for a period, at every level of your area',
        tags: ['reports'],
        security,
        params: PeriodParams,
        querystring: UnitQuery,
        response: { 200: CompletenessView, ...standardErrorResponses },
      },
    },
    async (request) => {
      const staff = signedInStaff(request);
      const unitCode = request.query.unitCode ?? staff.unitCode ?? '';
      if (!commands.mayRead(staff, unitCode)) throw new HttpProblem(403, `unit ${unitCode} is outside your area`);
      const { periodId } = request.params;
      const units = commands.unitsWithin(unitCode);
      const byUnit = new Map((await reports.inUnits(periodId, units)).map((r) => [r.unitCode, r]));
      const now = Date.now();
      const rows = units.map((code) => {
        const report = byUnit.get(code);
        const position = commands.position(code);
        const name = report?.unitName ?? code;
        if (!report) {
          return { unitCode: code, unitName: name, level: position.level, state: 'not-opened' as const, late: false };
        }
        const escalation = report.alerts.find((a) => a.kind === 'escalation');
        return {
          unitCode: code,
          unitName: report.unitName,
          level: report.level,
          ...(report.parentUnitCode ? { parentUnitCode: report.parentUnitCode } : {}),
          state: report.state,
          dueOn: report.dueOn,
          late: (report.state === 'draft' || report.state === 'returned') && now > Date.parse(report.dueAt),
          ...(escalation?.toUnitCode ? { escalatedTo: escalation.toUnitCode } : {}),
        };
      });
      const counts: Record<string, number> = Object.fromEntries(
        [...ReportStates, 'not-opened'].map((s) => [s, rows.filter((r) => r.state === s).length]),
      );
      return { periodId, unitCode, units: rows, counts };
    },
  );

  app.get(
    '/reports/:reportId',
    {
      ...reportingStaff,
      config: { audit: { action: 'read', resource: 'report' } },
      schema: {
        summary: 'A report: state, narrative, figures (frozen once submitted), history, reminders and escalation',
        tags: ['reports'],
        security,
        params: ReportParams,
        response: { 200: ReportView, ...standardErrorResponses },
      },
    },
    async (request) => withCurrentValues(await readable(request, request.params.reportId)),
  );

  app.put(
    '/reports/:reportId/narrative',
    {
      ...reportingStaff,
      config: { audit: { action: 'update', resource: 'report' } },
      schema: {
        summary: 'Write the report: results, difficulties, proposals and the activities of the period',
        tags: ['reports'],
        security,
        params: ReportParams,
        body: NarrativeBody,
        response: { 200: ReportView, ...standardErrorResponses },
      },
    },
    async (request) => {
      await readable(request, request.params.reportId);
      const { narrative, activities } = request.body;
      return withCurrentValues(
        await refusalsAsProblems(() =>
          commands.edit(request.params.reportId, signedInStaff(request), narrative, activities),
        ),
      );
    },
  );

  const decision = (
    path: string,
    summary: string,
    act: (reportId: string, request: FastifyRequest, reason?: string) => Promise<ReportRecord>,
    needsReason: boolean,
  ) =>
    app.post(
      `/reports/:reportId/${path}`,
      {
        ...reportingStaff,
        config: { audit: { action: 'update', resource: 'report' } },
        schema: {
          summary,
          tags: ['reports'],
          security,
          params: ReportParams,
          ...(needsReason ? { body: ReasonBody } : {}),
          response: { 200: ReportView, ...standardErrorResponses },
        },
      },
      async (request) => {
        await readable(request, request.params.reportId);
        const body: unknown = request.body;
        const reason = typeof body === 'object' && body !== null && 'reason' in body ? String(body.reason) : undefined;
        return withCurrentValues(await refusalsAsProblems(() => act(request.params.reportId, request, reason)));
      },
    );

  decision(
    'submit',
    'Submit the report: its figures are frozen (every unit below must be approved first)',
    (id, request) => commands.submit(id, signedInStaff(request)),
    false,
  );
  decision(
    'approve',
    'Approve a report of a unit below yours: its figures are locked',
    (id, request) => commands.approve(id, signedInStaff(request)),
    false,
  );
  decision(
    'return',
    'Return a report of a unit below yours, with the reason',
    (id, request, reason) => commands.return(id, signedInStaff(request), reason ?? ''),
    true,
  );
  decision(
    'unapprove',
    'Withdraw an approval, with the reason (audited); refused while the level above holds the figures',
    (id, request, reason) => commands.unapprove(id, signedInStaff(request), reason ?? ''),
    true,
  );

  app.get(
    '/reports/:reportId/export.csv',
    {
      ...reportingStaff,
      config: { audit: { action: 'read', resource: 'report', param: 'reportId' } },
      schema: {
        summary: 'The report as CSV (UTF-8 with BOM, for spreadsheets): figures against targets, then the narrative',
        tags: ['reports'],
        security,
        params: ReportParams,
        // The CSV is the 200 answer only (no `produces`, which would document every answer as CSV);
        // refusals are the JSON problems every route answers.
        response: {
          200: {
            description: 'The report as CSV',
            content: { 'text/csv': { schema: Type.Unsafe<string>({ type: 'string' }) } },
          },
          ...standardErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const report = await withCurrentValues(await readable(request, request.params.reportId));
      const values = report.values ?? ('currentValues' in report ? report.currentValues : []);
      const names = new Map(indicatorDefinitions.map((d) => [d.id, d.name.vi]));
      const rows: (string | number)[][] = [
        ['Báo cáo', report.periodId, report.unitName, report.unitCode],
        ['Trạng thái', report.state, 'Hạn nộp', report.dueOn],
        [],
        ['Chỉ tiêu', 'Phiên bản', 'Tử số', 'Mẫu số', 'Tỷ lệ (%)', 'Mục tiêu 2025', 'Mục tiêu 2030'],
        ...values.map((v) => [
          names.get(v.indicatorId) ?? v.indicatorId,
          v.version,
          v.numerator,
          v.denominator,
          v.value === null ? '' : v.value,
          v.target2025,
          v.target2030,
        ]),
        [],
        ['Kết quả đạt được', report.narrative.results],
        ['Khó khăn, vướng mắc', report.narrative.difficulties],
        ['Đề xuất, kiến nghị', report.narrative.proposals],
        ['Hoạt động trong kỳ', report.activities],
      ];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="bao-cao-${report._id}.csv"`)
        .send(`\uFEFF${stringify(rows, { escape_formulas: true })}`);
    },
  );
};
