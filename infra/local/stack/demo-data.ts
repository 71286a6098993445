import { signIn } from '../../../tests/support/sign-in';

/**
 * Demo data for `npm start`: children of varied ages and needs in the three communes that have demo
 * staff (services/identity/src/demo-users.ts), loaded through the public HTTP APIs as those staff
 * would: register, consent, open a case, screen, refer; then the health stations and preschools
 * act on part of their inboxes. Every write carries an Idempotency-Key derived from the child's
 * number, so a restart loads nothing twice. Names and codes are illustrative.
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

export interface DemoSummary {
  children: number;
  consents: number;
  cases: number;
  screenings: number;
  referrals: number;
  facilityActions: number;
}

/** Loads the demo data through the services' APIs; returns what was new (all zero on a reload). */
export async function loadDemoData(targets: DemoTargets, count = 200, today = new Date()): Promise<DemoSummary> {
  const summary: DemoSummary = { children: 0, consents: 0, cases: 0, screenings: 0, referrals: 0, facilityActions: 0 };
  const tokens = new Map<string, string>();
  const token = async ([username, password]: readonly [string, string]) => {
    if (!tokens.has(username)) tokens.set(username, await signIn(targets.identityUrl, username, password));
    return tokens.get(username)!;
  };
  const send = async (url: string, credentials: readonly [string, string], body?: unknown, key?: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token(credentials)}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status >= 300) {
      throw new Error(`demo data: POST ${url} refused: ${response.status} ${text}`);
    }
    return { created: response.status === 201, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  const actions: { demo: DemoChild; referralId: string }[] = [];
  const load = async (demo: DemoChild) => {
    const intake = communes[demo.communeCode].intake;
    const key = (what: string) => `demo-${what}-${String(demo.n).padStart(4, '0')}`;
    const child = await send(`${targets.intakeUrl}/children`, intake, demo.child, key('child'));
    if (child.created) summary.children++;
    const childId = child.body._id as string;
    if (demo.consent) {
      if (
        (await send(`${targets.intakeUrl}/children/${childId}/consents`, intake, demo.consent, key('consent'))).created
      ) {
        summary.consents++;
      }
    }
    if (!demo.kase) return;
    const kase = await send(`${targets.intakeUrl}/cases`, intake, { childId, ...demo.kase }, key('case'));
    if (kase.created) summary.cases++;
    const caseId = kase.body._id as string;
    if (demo.screening && kase.body.status !== 'CLOSED') {
      const screened = await send(
        `${targets.intakeUrl}/cases/${caseId}/screenings`,
        intake,
        demo.screening,
        key('screening'),
      );
      if (screened.created) summary.screenings++;
    }
    if (demo.referral) {
      const referred = await send(
        `${targets.intakeUrl}/cases/${caseId}/referrals`,
        intake,
        demo.referral,
        key('referral'),
      );
      if (referred.created) summary.referrals++;
      if (demo.facilityAction && referred.created)
        actions.push({ demo, referralId: referred.body.referralId as string });
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

  for (const { demo, referralId } of actions) {
    const sector = demo.referral!.sector;
    const base = sector === 'health' ? targets.healthUrl : targets.educationUrl;
    if (!base) continue;
    const staff = communes[demo.communeCode][sector];
    // The inbox fills from Kafka a moment after the request: wait for the item before acting on it.
    await waitForInboxItem(base, await token(staff), referralId);
    await send(`${base}/inbox/${referralId}/accept`, staff);
    summary.facilityActions++;
    if (demo.facilityAction === 'complete') {
      await send(`${base}/inbox/${referralId}/start`, staff);
      await send(`${base}/inbox/${referralId}/complete`, staff, {
        kind: sector === 'health' ? 'vaccination' : 'enrolment',
        date: isoDate(today),
        summary: sector === 'health' ? 'Đã tiêm bù các mũi còn thiếu' : 'Đã nhận trẻ vào lớp mẫu giáo',
      });
      summary.facilityActions += 2;
    }
  }
  return summary;
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

async function waitForInboxItem(base: string, token: string, referralId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${base}/inbox/${referralId}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.ok) return;
    if (Date.now() > deadline) throw new Error(`demo data: referral ${referralId} never reached ${base}/inbox`);
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

export async function loadProtectionDemoData(protectionUrl: string, identityUrl: string): Promise<number> {
  let created = 0;
  for (const [commune, officer] of Object.entries(protectionOfficers)) {
    const token = await signIn(identityUrl, officer.username, officer.password);
    for (const demo of demoProtectionReports().filter((d) => d.commune === commune)) {
      const response = await fetch(`${protectionUrl}/protection-cases`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': demo.idempotencyKey,
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(demo.body),
      });
      if (response.status === 201) created++;
      else if (response.status !== 200) {
        throw new Error(`demo protection case refused: ${response.status} ${await response.text()}`);
      }
    }
  }
  return created;
}
