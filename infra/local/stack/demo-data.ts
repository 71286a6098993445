import { signIn } from '../../../tests/support/sign-in';

/**
 * Demo data for `npm start`: children of varied ages and needs in the communes that have demo
 * intake staff (services/identity/src/demo-users.ts), each opened by that commune's intake officer
 * (cases are scoped to the caller's commune). Idempotency keys make a restart load nothing twice.
 * Names and codes are illustrative.
 */
const intakeStaff: Record<string, { username: string; password: string }> = {
  '02704': { username: 'canbo.yty', password: 'yty-intake-01' },
  '02701': { username: 'canbo.batxat', password: 'batxat-intake-01' },
};
const communes = Object.keys(intakeStaff);
const familyNames = ['Nguyễn', 'Trần', 'Lò', 'Vàng', 'Giàng', 'Hoàng', 'Lý', 'Phạm', 'Sùng', 'Đỗ'];
const middleNames = { female: ['Thị', 'Thị Thu', 'Ngọc'], male: ['Văn', 'Đức', 'Minh'] } as const;
const givenNames = {
  female: ['Hoà', 'Mai', 'Lan', 'Dung', 'Pà', 'Súa', 'Hương', 'Linh'],
  male: ['Páo', 'Minh', 'Dũng', 'Sính', 'Nam', 'Tùng', 'Khánh', 'Vừ'],
} as const;
const concernSets = [['health'], ['nutrition', 'health'], ['education'], ['protection'], ['welfare', 'education']];

export function demoCases(count: number, today = new Date()) {
  return Array.from({ length: count }, (_, i) => {
    const sex = i % 2 === 0 ? 'female' : 'male';
    const ageDays = 20 + ((i * 97) % (8 * 365));
    const dob = new Date(today.getTime() - ageDays * 86_400_000).toISOString().slice(0, 10);
    return {
      idempotencyKey: `demo-case-${String(i).padStart(4, '0')}`,
      body: {
        child: {
          fullName: `${familyNames[i % familyNames.length]} ${middleNames[sex][i % 3]} ${givenNames[sex][i % 8]}`,
          dateOfBirth: dob,
          sex,
          communeCode: communes[i % communes.length]!,
        },
        concerns: concernSets[i % concernSets.length]!,
      },
    };
  });
}

export async function loadDemoData(intakeUrl: string, identityUrl: string, count = 40): Promise<number> {
  const tokens = new Map<string, string>();
  for (const [commune, staff] of Object.entries(intakeStaff)) {
    tokens.set(commune, await signIn(identityUrl, staff.username, staff.password));
  }
  let created = 0;
  for (const demo of demoCases(count)) {
    const response = await fetch(`${intakeUrl}/cases`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': demo.idempotencyKey,
        authorization: `Bearer ${tokens.get(demo.body.child.communeCode)!}`,
      },
      body: JSON.stringify(demo.body),
    });
    if (response.status === 201) created++;
    else if (response.status !== 200) throw new Error(`demo case refused: ${response.status} ${await response.text()}`);
  }
  return created;
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
