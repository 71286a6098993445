import { signIn } from '../../../tests/support/sign-in';

/**
 * Demo data for `npm start`: children of varied ages and needs in the three communes that have demo
 * staff (services/identity/src/demo-users.ts), loaded through the public HTTP APIs as those staff
 * would: register, consent, open a case, screen, refer; then the health stations and preschools
 * act on part of their inboxes. Every write carries an Idempotency-Key derived from the child's
 * number, so a restart loads nothing twice, and records people changed since stay as they left
 * them (see loadDemoData). The children are made for one day (their ages, the consents' dates),
 * which `npm start` keeps in its state directory so a restart on a later day makes the same
 * requests. Names and codes are illustrative.
 */
const communes = {
  '02704': {
    intake: ['canbo.yty', 'yty-intake-01'],
    health: ['yte.yty', 'yty-health-01'],
    education: ['giaovien.yty', 'yty-teacher-01'],
  },
  '02701': {
    intake: ['canbo.batxat', 'batxat-intake-01'],
    health: ['yte.batxat', 'batxat-health-01'],
    education: ['giaovien.batxat', 'batxat-teacher-01'],
  },
  '02707': {
    intake: ['canbo.amusung', 'amusung-intake-01'],
    health: ['yte.amusung', 'amusung-health-01'],
    education: ['giaovien.amusung', 'amusung-teacher-01'],
  },
} as const;
type CommuneCode = keyof typeof communes;
const communeCodes = Object.keys(communes) as CommuneCode[];

const familyNames = ['Nguyễn', 'Trần', 'Lò', 'Vàng', 'Giàng', 'Hoàng', 'Lý', 'Phạm', 'Sùng', 'Đỗ', 'Thào', 'Lù'];
const middleNames = { female: ['Thị', 'Thị Thu', 'Ngọc', 'Thị Mỹ'], male: ['Văn', 'Đức', 'Minh', 'Seo'] } as const;
const givenNames = {
  female: ['Hoà', 'Mai', 'Lan', 'Dung', 'Pà', 'Súa', 'Hương', 'Linh', 'Dợ', 'Chi', 'Mỷ'],
  male: ['Páo', 'Minh', 'Dũng', 'Sính', 'Nam', 'Tùng', 'Khánh', 'Vừ', 'Chứ', 'Phong', 'Lử'],
} as const;
// Decision 1019/QĐ-TCTK codes of groups living in Lào Cai: Kinh, Tày, Thái, Nùng, Mông, Dao, Giáy.
const ethnicities = ['01', '02', '03', '07', '08', '09', '22'];
const villages = ['Thôn Lao Chải', 'Thôn Mò Phú Chải', 'Thôn Sín Chải', 'Thôn Trung Hồ', 'Thôn Phìn Ngan'];
const concernSets = [['health'], ['nutrition', 'health'], ['education'], ['protection'], ['welfare', 'education']];

// WHO 2006 medians (both sexes, rounded), enough to make plausible measurements by age.
const medianWeightKg = [
  [0, 3.3],
  [12, 9.6],
  [24, 12.2],
  [36, 14.3],
  [48, 16.3],
  [60, 18.3],
] as const;
const medianHeightCm = [
  [0, 50],
  [12, 75],
  [24, 87],
  [36, 96],
  [48, 103],
  [60, 110],
] as const;
const interpolate = (table: readonly (readonly [number, number])[], months: number) => {
  for (let i = 1; i < table.length; i++) {
    const [m0, v0] = table[i - 1]!;
    const [m1, v1] = table[i]!;
    if (months <= m1) return v0 + ((v1 - v0) * (months - m0)) / (m1 - m0);
  }
  return table[table.length - 1]![1];
};

const isoDate = (instant: Date) => new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

export interface DemoChild {
  n: number;
  communeCode: CommuneCode;
  ageDays: number;
  child: Record<string, unknown>;
  /** Consent to share with these sectors (absent: the family has not consented yet). */
  consent?: Record<string, unknown>;
  kase?: { concerns: string[] };
  screening?: Record<string, unknown>;
  referral?: { sector: 'health' | 'education'; urgency: string; facilityId: string; reason: string };
  /** What the facility does with the referral: nothing, accept, or accept and complete. */
  facilityAction?: 'accept' | 'complete';
}

/** The demo children, deterministic for a given day. */
export function demoChildren(count: number, today = new Date()): DemoChild[] {
  return Array.from({ length: count }, (_, n) => {
    const communeCode = communeCodes[n % communeCodes.length]!;
    const sex = n % 2 === 0 ? 'female' : 'male';
    const ageDays = 20 + ((n * 97) % (8 * 365));
    const ageMonths = Math.floor(ageDays / 30.44);
    const born = new Date(today.getTime() - ageDays * 86_400_000);
    const family = familyNames[n % familyNames.length]!;
    const child = {
      fullName: `${family} ${middleNames[sex][n % 4]} ${givenNames[sex][(n * 7) % 11]}`,
      dateOfBirth: isoDate(born),
      sex,
      ethnicityCode: ethnicities[n % ethnicities.length]!,
      communeCode,
      village: villages[n % villages.length]!,
      caregivers: [
        {
          name: `${family} Thị ${givenNames.female[n % 11]}`,
          relationship: 'mother',
          phone: `09${String(10_000_000 + n * 7919).slice(0, 8)}`,
        },
      ],
      birthRegistered: n % 9 !== 4,
      ...(n % 17 === 3 ? { specialCircumstances: ['04'], disability: true } : {}),
      ...(n % 23 === 5 ? { specialCircumstances: ['01'] } : {}),
      confirmedNotDuplicate: true,
    };
    const demo: DemoChild = { n, communeCode, ageDays, child };
    if (n % 7 !== 6) {
      demo.consent = {
        givenBy: { name: child.caregivers[0]!.name, relationship: 'parent' },
        sharingWith: ['health', 'nutrition', 'education', 'welfare'],
        givenOn: isoDate(today),
        ...(ageMonths >= 84 ? { childAssent: true } : {}),
      };
    }
    if (n % 5 < 3) demo.kase = { concerns: concernSets[n % concernSets.length]! };
    if (demo.kase && n % 2 === 0) {
      const thin = n % 11 === 0 ? 0.72 : 1;
      demo.screening =
        ageMonths < 60
          ? {
              measurements: {
                date: isoDate(today),
                weightKg: Math.round(interpolate(medianWeightKg, ageMonths) * thin * 10) / 10,
                [ageMonths < 24 ? 'lengthCm' : 'heightCm']: Math.round(interpolate(medianHeightCm, ageMonths)),
              },
              ...(ageMonths < 24
                ? { vaccinations: [{ vaccine: 'BCG', dose: 1, date: isoDate(new Date(born.getTime() + 86_400_000)) }] }
                : {}),
            }
          : {};
    }
    if (demo.kase && demo.consent && n % 4 === 0) {
      const preschoolAge = ageMonths >= 36 && ageMonths < 72;
      demo.referral = preschoolAge
        ? {
            sector: 'education',
            urgency: 'routine',
            facilityId: `MN-${communeCode}`,
            reason: 'Đăng ký vào lớp mẫu giáo',
          }
        : {
            sector: 'health',
            urgency: n % 11 === 0 ? 'urgent' : 'routine',
            facilityId: `TYT-${communeCode}`,
            reason: n % 11 === 0 ? 'Suy dinh dưỡng: khám và tư vấn dinh dưỡng' : 'Tiêm chủng bù các mũi quá hạn',
          };
      if (n % 8 === 0) demo.facilityAction = n % 16 === 0 ? 'complete' : 'accept';
    }
    return demo;
  });
}

export interface DemoTargets {
  intakeUrl: string;
  identityUrl: string;
  /** With these, the facilities act on part of their inboxes too. */
  healthUrl?: string;
  educationUrl?: string;
}

export const demoRecordKinds = [
  'children',
  'consents',
  'cases',
  'screenings',
  'referrals',
  'facilityActions',
  'protectionCases',
] as const;
export type DemoRecordKind = (typeof demoRecordKinds)[number];
export type DemoCounts = Record<DemoRecordKind, number>;

/** A demo record that people changed, left as they left it. */
export interface KeptRecord {
  kind: DemoRecordKind;
  /** The demo child it belongs to (`demo-<what>-<n>` keys), or the protection report's key. */
  demo: string;
  /** The record's id when the API told it. */
  id?: string;
  /** What it is now, in the API's words. */
  found: string;
}

/**
 * What a load did: records it added, records already there as the demo makes them, and records
 * people changed (closed, withdrawn, accepted, registered differently), which it keeps as they are.
 */
export interface DemoReport {
  added: DemoCounts;
  alreadyThere: DemoCounts;
  kept: KeptRecord[];
}

/** A real failure (a service that does not answer, or refuses for a reason other than a conflict). */
export class DemoLoadFailure extends Error {
  override name = 'DemoLoadFailure';
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
  }
}

const zeroCounts = (): DemoCounts => Object.fromEntries(demoRecordKinds.map((kind) => [kind, 0])) as DemoCounts;

export const emptyDemoReport = (): DemoReport => ({ added: zeroCounts(), alreadyThere: zeroCounts(), kept: [] });

/** One line for a person: what the load added, found, and kept. */
export function describeDemoReport(report: DemoReport): string[] {
  const list = (counts: DemoCounts) =>
    demoRecordKinds
      .filter((kind) => counts[kind] > 0)
      .map((kind) => `${counts[kind]} ${kindLabel[kind]}`)
      .join(', ') || 'nothing';
  return [
    `added: ${list(report.added)}`,
    `already there: ${list(report.alreadyThere)}`,
    `kept because people changed them: ${report.kept.length === 0 ? 'none' : report.kept.length}`,
    ...report.kept.map((k) => `  ${kindLabel[k.kind].replace(/s$/, '')} ${k.id ?? k.demo}: ${k.found}`),
  ];
}

const kindLabel: Record<DemoRecordKind, string> = {
  children: 'children',
  consents: 'consents',
  cases: 'cases',
  screenings: 'screenings',
  referrals: 'referrals',
  facilityActions: 'facility actions',
  protectionCases: 'protection cases',
};

/** The facility's steps a demo referral goes through; where the demo leaves it depends on its action. */
const demoPath = ['REQUESTED', 'ACCEPTED', 'IN_SERVICE', 'COMPLETED'] as const;
const demoTarget = (demo: DemoChild) =>
  demo.facilityAction === 'complete' ? 'COMPLETED' : demo.facilityAction === 'accept' ? 'ACCEPTED' : 'REQUESTED';

type Answer = { outcome: 'added' | 'there'; body: Record<string, unknown> } | { outcome: 'conflict'; message: string };

/**
 * Loads the demo data through the services' APIs. Writes carry Idempotency-Keys, so what is
 * there already answers 200; a 409 Conflict is the API saying the records are no longer as the
 * demo makes them (a case closed, a consent withdrawn, a key used for another request), and the
 * loader keeps them as they are. Anything else (no answer, 5xx, a refusal) is a real failure.
 */
export async function loadDemoData(targets: DemoTargets, count = 200, today = new Date()): Promise<DemoReport> {
  const report = emptyDemoReport();
  const tokens = new Map<string, string>();
  const token = async ([username, password]: readonly [string, string]) => {
    if (!tokens.has(username)) {
      try {
        tokens.set(username, await signIn(targets.identityUrl, username, password));
      } catch (error) {
        throw new DemoLoadFailure(targets.identityUrl, `demo data: signing in ${username} failed: ${message(error)}`);
      }
    }
    return tokens.get(username)!;
  };
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    credentials: readonly [string, string],
    body?: unknown,
    key?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${await token(credentials)}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(key ? { 'idempotency-key': key } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new DemoLoadFailure(url, `demo data: ${method} ${url} got no answer: ${message(error)}`);
    }
    const text = await response.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { message: text };
    }
    return { status: response.status, body: parsed };
  };
  const send = async (url: string, credentials: readonly [string, string], body?: unknown, key?: string) => {
    const answer = await call('POST', url, credentials, body, key);
    if (answer.status === 201) return { outcome: 'added', body: answer.body } satisfies Answer;
    if (answer.status === 200) return { outcome: 'there', body: answer.body } satisfies Answer;
    if (answer.status === 409)
      return { outcome: 'conflict', message: String(answer.body.message ?? '') } satisfies Answer;
    throw new DemoLoadFailure(
      url,
      `demo data: POST ${url} refused: ${answer.status} ${String(answer.body.message ?? JSON.stringify(answer.body))}`,
    );
  };
  const count1 = (kind: DemoRecordKind, answer: Answer) => {
    if (answer.outcome === 'added') report.added[kind]++;
    else if (answer.outcome === 'there') report.alreadyThere[kind]++;
  };
  const keep = (record: KeptRecord) => report.kept.push(record);
  const caseReferrals = async (demo: DemoChild, caseId: string) => {
    const found = await call('GET', `${targets.intakeUrl}/cases/${caseId}`, communes[demo.communeCode].intake);
    if (found.status !== 200) {
      throw new DemoLoadFailure(targets.intakeUrl, `demo data: GET case ${caseId} answered ${found.status}`);
    }
    return (found.body.referrals ?? []) as { referralId: string; state: string }[];
  };

  const referrals: { demo: DemoChild; caseId: string; referralId: string; added: boolean }[] = [];
  const load = async (demo: DemoChild) => {
    const intake = communes[demo.communeCode].intake;
    const key = (what: string) => `demo-${what}-${String(demo.n).padStart(4, '0')}`;
    const child = await send(`${targets.intakeUrl}/children`, intake, demo.child, key('child'));
    if (child.outcome === 'conflict') {
      keep({ kind: 'children', demo: key('child'), found: child.message });
      return;
    }
    count1('children', child);
    const childId = child.body._id as string;
    let consentInForce = !demo.consent;
    if (demo.consent) {
      const consent = await send(
        `${targets.intakeUrl}/children/${childId}/consents`,
        intake,
        demo.consent,
        key('consent'),
      );
      if (consent.outcome === 'conflict') keep({ kind: 'consents', demo: key('consent'), found: consent.message });
      else if (consent.body.inForce === false) {
        keep({ kind: 'consents', demo: key('consent'), id: String(consent.body._id ?? ''), found: 'withdrawn' });
      } else {
        count1('consents', consent);
        consentInForce = true;
      }
    }
    if (!demo.kase) return;
    const kase = await send(`${targets.intakeUrl}/cases`, intake, { childId, ...demo.kase }, key('case'));
    if (kase.outcome === 'conflict') {
      keep({ kind: 'cases', demo: key('case'), found: kase.message });
      return;
    }
    const caseId = kase.body._id as string;
    if (kase.body.status === 'CLOSED') {
      const closure = kase.body.closure as { reason?: string } | undefined;
      keep({ kind: 'cases', demo: key('case'), id: caseId, found: `closed (${closure?.reason ?? 'no reason'})` });
      // Its referrals stay as people left them too; say how.
      for (const referral of await caseReferrals(demo, caseId)) {
        keep({ kind: 'referrals', demo: key('referral'), id: referral.referralId, found: referral.state });
      }
      return;
    }
    count1('cases', kase);
    if (demo.screening) {
      const screened = await send(
        `${targets.intakeUrl}/cases/${caseId}/screenings`,
        intake,
        demo.screening,
        key('screening'),
      );
      if (screened.outcome === 'conflict')
        keep({ kind: 'screenings', demo: key('screening'), found: screened.message });
      else count1('screenings', screened);
    }
    if (demo.referral && consentInForce) {
      const referred = await send(
        `${targets.intakeUrl}/cases/${caseId}/referrals`,
        intake,
        demo.referral,
        key('referral'),
      );
      if (referred.outcome === 'conflict') {
        keep({ kind: 'referrals', demo: key('referral'), found: referred.message });
      } else {
        referrals.push({
          demo,
          caseId,
          referralId: referred.body.referralId as string,
          added: referred.outcome === 'added',
        });
      }
    }
  };
  // A few staff at a time, as in a commune office.
  const queue = demoChildren(count, today);
  // Referrals go only to facilities of intake's directory: wait until health's and education's
  // registrations (published through their outboxes at start) have reached it.
  const referredTo = [...new Set(queue.flatMap((demo) => (demo.referral ? [demo.referral.facilityId] : [])))];
  const firstCommune = Object.values(communes)[0];
  if (firstCommune && referredTo.length > 0) {
    await waitForFacilityDirectory(targets.intakeUrl, await token(firstCommune.intake), referredTo);
  }
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let demo = queue.shift(); demo; demo = queue.shift()) await load(demo);
    }),
  );

  // Then the facilities: each demo referral goes as far as the demo takes it, unless people took
  // it elsewhere (withdrawn, declined, accepted or completed by staff), where it stays.
  for (const { demo, caseId, referralId, added } of referrals) {
    const sector = demo.referral!.sector;
    const base = sector === 'health' ? targets.healthUrl : targets.educationUrl;
    const target = demoTarget(demo);
    const referralKey = `demo-referral-${String(demo.n).padStart(4, '0')}`;
    let state: string;
    if (base && target !== 'REQUESTED') {
      // The inbox fills from Kafka a moment after the request: wait for the item before acting on it.
      state = (await waitForInboxItem(base, await token(communes[demo.communeCode][sector]), referralId)).state;
    } else if (added) {
      state = 'REQUESTED';
    } else {
      state = (await caseReferrals(demo, caseId)).find((r) => r.referralId === referralId)?.state ?? 'REQUESTED';
    }
    const at = demoPath.indexOf(state as (typeof demoPath)[number]);
    const goal = demoPath.indexOf(target);
    if (at < 0 || at > goal) {
      keep({ kind: 'referrals', demo: referralKey, id: referralId, found: `${state} (the demo leaves it ${target})` });
      continue;
    }
    count1('referrals', { outcome: added ? 'added' : 'there', body: {} });
    report.alreadyThere.facilityActions += at;
    if (!base || at === goal) continue;
    const staff = communes[demo.communeCode][sector];
    const steps: [string, unknown][] = [
      ['accept', undefined],
      ['start', undefined],
      [
        'complete',
        {
          kind: sector === 'health' ? 'vaccination' : 'enrolment',
          date: isoDate(today),
          summary: sector === 'health' ? 'Đã tiêm bù các mũi còn thiếu' : 'Đã nhận trẻ vào lớp mẫu giáo',
        },
      ],
    ];
    for (const [action, body] of steps.slice(at, goal)) {
      const done = await send(`${base}/inbox/${referralId}/${action}`, staff, body);
      if (done.outcome === 'conflict') {
        // A person acted on it between our look and our step: theirs stands.
        keep({ kind: 'facilityActions', demo: referralKey, id: referralId, found: done.message });
        break;
      }
      report.added.facilityActions++;
    }
  }
  return report;
}

/** Waits until intake's facility directory lists every facility named (it follows ecd.facilities.v1). */
export async function waitForFacilityDirectory(
  intakeUrl: string,
  token: string,
  facilityIds: readonly string[],
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const facilityId of facilityIds) {
    for (;;) {
      const response = await fetch(`${intakeUrl}/facilities/${facilityId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.ok) break;
      if (Date.now() > deadline) {
        throw new Error(`facility ${facilityId} never reached intake's directory (${intakeUrl}/facilities)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const message = (error: unknown) =>
  error instanceof Error
    ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`
    : String(error);

async function waitForInboxItem(base: string, token: string, referralId: string): Promise<{ state: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    let response: Response;
    try {
      response = await fetch(`${base}/inbox/${referralId}`, { headers: { authorization: `Bearer ${token}` } });
    } catch (error) {
      throw new DemoLoadFailure(base, `demo data: GET ${base}/inbox/${referralId} got no answer: ${message(error)}`);
    }
    if (response.ok) return (await response.json()) as { state: string };
    if (Date.now() > deadline) {
      throw new DemoLoadFailure(base, `demo data: referral ${referralId} never reached ${base}/inbox`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const protectionOfficers: Record<string, { username: string; password: string }> = {
  '02704': { username: 'baove.yty', password: 'yty-protection-01' },
  '02701': { username: 'baove.batxat', password: 'batxat-protection-01' },
};

/** A few protection cases per commune (illustrative reports; one at serious risk), idempotent by key. */
export function demoProtectionReports() {
  const sources = ['hotline-111', 'school', 'health-station', 'police'] as const;
  return Object.keys(protectionOfficers).flatMap((commune, c) =>
    Array.from({ length: 3 }, (_, i) => ({
      commune,
      idempotencyKey: `demo-protection-${commune}-${i}`,
      body: {
        source: sources[(c + i) % sources.length],
        seriousRisk: i === 0,
        child: {
          fullName: `${familyNames[(c * 3 + i) % familyNames.length]} Thị ${givenNames.female[(c + i) % 8]}`,
          sex: 'female',
        },
        report: {
          description:
            i === 0
              ? 'Demo: a neighbour reports that the child is beaten at home and was left alone overnight'
              : 'Demo: the school reports repeated absences and signs of neglect',
        },
      },
    })),
  );
}

/** The protection demo cases, by idempotency key: added, already there, or (409) kept as found. */
export async function loadProtectionDemoData(
  protectionUrl: string,
  identityUrl: string,
  report: DemoReport = emptyDemoReport(),
): Promise<DemoReport> {
  for (const [commune, officer] of Object.entries(protectionOfficers)) {
    let token: string;
    try {
      token = await signIn(identityUrl, officer.username, officer.password);
    } catch (error) {
      throw new DemoLoadFailure(identityUrl, `demo data: signing in ${officer.username} failed: ${message(error)}`);
    }
    for (const demo of demoProtectionReports().filter((d) => d.commune === commune)) {
      const url = `${protectionUrl}/protection-cases`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': demo.idempotencyKey,
            authorization: `Bearer ${token}`,
          },
          body: JSON.stringify(demo.body),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (error) {
        throw new DemoLoadFailure(url, `demo data: POST ${url} got no answer: ${message(error)}`);
      }
      const text = await response.text();
      if (response.status === 201) report.added.protectionCases++;
      else if (response.status === 200) report.alreadyThere.protectionCases++;
      else if (response.status === 409) {
        report.kept.push({ kind: 'protectionCases', demo: demo.idempotencyKey, found: text });
      } else {
        throw new DemoLoadFailure(url, `demo data: POST ${url} refused: ${response.status} ${text}`);
      }
    }
  }
  return report;
}
