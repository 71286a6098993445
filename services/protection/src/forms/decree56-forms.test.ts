import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FormNumbers, formContent, formSources, vietnameseInstant, type CaseRecordForForms } from './decree56-forms';
import { renderFormPdf } from './decree56-pdf';

const record: CaseRecordForForms = {
  caseId: '3f9a1c2e-0000-4000-8000-000000000001',
  communeName: 'Xã Y Tý',
  source: 'hotline-111',
  receivedAt: '2026-12-01T03:05:00.000Z',
  seriousRisk: true,
  forms: {
    // Decomposed (NFD) on purpose: the printout normalises to precomposed letters.
    child: { fullName: 'Giàng Thị Mỷ'.normalize('NFD'), dateOfBirth: '2021-03-04', sex: 'female' },
    reporter: { name: 'Tổng đài 111' },
    report: { description: 'Trẻ bị đánh' },
    riskAssessment: { seriousRisk: true, riskLevel: 'high', findings: 'Vết bầm tím' },
    plan: { objectives: 'An toàn', actions: [{ body: 'Trạm Y tế', action: 'Khám', sector: 'health' }] },
    approval: { decisionNumber: '15/QĐ-UBND' },
    closure: { riskAtClosure: 'low', summary: 'Ổn định' },
  },
};

describe('Decree 56 forms', () => {
  it('gives every form a title, numbered sections, a place and date and signature blocks', () => {
    for (const n of FormNumbers) {
      const form = formContent(n, record, '2026-12-01T03:05:00.000Z');
      expect(form.title.length).toBeGreaterThan(5);
      form.sections.forEach((s, i) => expect(s.heading.startsWith(`${i + 1}. `)).toBe(true));
      expect(form.placeAndDate).toBe('Y Tý, ngày 01 tháng 12 năm 2026');
      expect(form.signatures.length).toBeGreaterThan(0);
      expect(formSources[n].length).toBeGreaterThan(0);
    }
  });

  it('fills the forms from the record, in Vietnam time, with precomposed Vietnamese letters', () => {
    const form01 = formContent('01', record, '2026-12-01T03:05:00.000Z');
    const lines = new Map(form01.sections.flatMap((s) => s.lines));
    expect(lines.get('Họ và tên trẻ em')).toBe('Giàng Thị Mỷ'.normalize('NFC'));
    expect(lines.get('Thời điểm nhận thông tin')).toBe('10 giờ 05 phút, ngày 01/12/2026');
    expect(lines.get('Nguồn thông tin')).toBe('Tổng đài điện thoại quốc gia bảo vệ trẻ em 111');
    const form02 = new Map(formContent('02', record, record.receivedAt).sections.flatMap((s) => s.lines));
    expect(form02.get('Mức độ nguy cơ')).toBe('Cao');
    expect(vietnameseInstant('not a date')).toBe('');
  });

  it('prints a PDF whose text carries the diacritics (read back with pdftotext)', async () => {
    const pdf = await renderFormPdf(formContent('05', record, record.receivedAt), record.communeName);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' });
    expect(text).toContain('QUYẾT ĐỊNH');
    expect(text).toContain('Giàng Thị Mỷ');
    expect(text).toContain('15/QĐ-UBND');
  });
});
