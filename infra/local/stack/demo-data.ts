/**
 * Demo data for `npm start`: children of varied ages and needs across communes of one province.
 * Idempotency keys make a restart load nothing twice. Names and codes are illustrative.
 */
const communes = ['02737', '02740', '02746', '02752', '02755'];
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

export async function loadDemoData(intakeUrl: string, count = 40): Promise<number> {
  let created = 0;
  for (const demo of demoCases(count)) {
    const response = await fetch(`${intakeUrl}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': demo.idempotencyKey },
      body: JSON.stringify(demo.body),
    });
    if (response.status === 201) created++;
    else if (response.status !== 200) throw new Error(`demo case refused: ${response.status} ${await response.text()}`);
  }
  return created;
}
