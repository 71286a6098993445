import { describe, expect, it } from 'vitest';
import { inboxView, type InboxItem } from './facility-views';
import { caseView, type Case, type DirectoryFacility } from './intake-views';

const item = (sector: string): InboxItem => ({
  _id: `referral-${sector}`,
  caseId: 'case-1',
  sector,
  urgency: 'routine',
  state: 'ACCEPTED',
  fromUnitCode: '02704',
  completeBy: '2026-12-15T16:59:59.999Z',
  dueAt: '2026-12-15T16:59:59.999Z',
  escalationLevel: 0,
  updatedAt: '2026-12-01T00:00:00.000Z',
});

const directory: DirectoryFacility[] = [
  { _id: 'TYT-02704', name: 'Trạm Y tế xã Y Tý', sectors: ['health', 'nutrition'], unitCode: '02704', active: true },
  { _id: 'VHXH-02704', name: 'Văn hoá - Xã hội Y Tý', sectors: ['welfare'], unitCode: '02704', active: true },
  { _id: 'TP-02704', name: 'Tư pháp - hộ tịch Y Tý', sectors: ['civil-registration'], unitCode: '02704', active: true },
  {
    _id: 'TP-02701',
    name: 'Tư pháp - hộ tịch Bát Xát',
    sectors: ['civil-registration'],
    unitCode: '02701',
    active: false,
  },
];

describe('commune desks in the portal', () => {
  it('a civil-status officer completes with the birth registration number; a welfare desk with its kinds', () => {
    const ctx = { lang: 'vi' as const, path: '/inbox', csrfToken: 't' };
    const birth = String(inboxView(ctx, [item('civil-registration')], 'welfare'));
    expect(birth).toContain('value="birth-registered"');
    expect(birth).not.toContain('value="social-allowance"');
    expect(birth).toMatch(/name="registrationNumber"\s+required/);
    const welfare = String(inboxView({ ...ctx, lang: 'en' }, [item('welfare')], 'welfare'));
    expect(welfare).toContain('Monthly social allowance');
    expect(welfare).not.toContain('value="birth-registered"');
    expect(welfare).toContain('name="decisionNumber"');
  });

  it('the referral form offers each sector the desks of the directory that serve it, active ones only', () => {
    const kase: Case = {
      _id: 'case-1',
      childId: 'child-1',
      child: { fullName: 'Sùng Thị Dua', dateOfBirth: '2026-06-10', sex: 'female', communeCode: '02704' },
      concerns: ['civil-registration'],
      status: 'SCREENED',
      openedAt: '2026-11-20T00:00:00.000Z',
      timeline: [],
      screenings: [
        {
          screeningId: 's1',
          at: '2026-11-20T00:00:00.000Z',
          ageMonths: 5,
          findings: [],
          suggestedReferrals: [
            {
              service: 'birth-registration',
              sector: 'civil-registration',
              urgency: 'routine',
              reason: 'r',
              reasonVi: 'r',
            },
          ],
        },
      ],
    };
    const ctx = { lang: 'vi' as const, path: '/cases/case-1', csrfToken: 't' };
    const page = String(caseView(ctx, kase, { all: directory, offered: directory.filter((f) => f.active) }, 'key'));
    const suggested = /<select id="suggested-0-facility"[\s\S]*?<\/select>/.exec(page)?.[0] ?? '';
    expect(suggested).toContain('value="TP-02704"');
    expect(suggested).not.toContain('value="TP-02701"'); // closed to referrals
    expect(suggested).not.toContain('value="TYT-02704"');
    const manual = /<select id="ref-facility"[\s\S]*?<\/select>/.exec(page)?.[0] ?? '';
    expect(manual).toContain('value="VHXH-02704"');
    expect(page).toContain('<option value="civil-registration">Đăng ký khai sinh (hộ tịch)</option>');
  });
});
