import type { SealedForm } from '../repositories/protection-case-repository';

/**
 * The printable forms of Decree 56/2017/NĐ-CP Chapter III (Phụ lục, Mẫu số 01–06) as content:
 * the heading every administrative document carries (Decree 30/2020 layout: the issuing body on
 * the left, the national motto on the right), the form's title, numbered sections filled from the
 * case's sealed record, the place and date, and the signature blocks. Pure: `decree56-pdf.ts`
 * lays it out on paper.
 */
export const FormNumbers = ['01', '02', '03', '04', '05', '06'] as const;
export type FormNumber = (typeof FormNumbers)[number];

export interface FormSection {
  heading: string;
  /** Label and value lines; a value of '' prints a dotted line to fill in by hand. */
  lines: [string, string][];
}

export interface FormContent {
  number: FormNumber;
  title: string;
  subtitle?: string;
  sections: FormSection[];
  /** "Y Tý, ngày 01 tháng 12 năm 2026" */
  placeAndDate: string;
  signatures: { role: string; note: string; name: string }[];
}

/** What the forms are filled from: the case's public fields and its opened sealed forms. */
export interface CaseRecordForForms {
  caseId: string;
  communeName: string;
  source: string;
  receivedAt: string;
  seriousRisk: boolean;
  forms: Partial<Record<SealedForm, unknown>>;
}

/** Which sealed forms each printable form needs before it can be printed. */
export const formSources: Record<FormNumber, SealedForm[]> = {
  '01': ['child', 'report'],
  '02': ['riskAssessment'],
  '03': ['caseMeeting'],
  '04': ['plan'],
  '05': ['approval'],
  '06': ['closure'],
};

/** A field of an opened form (plain JSON the routes sealed), as text; '' when absent. */
function read(value: unknown, ...path: string[]): unknown {
  let at: unknown = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = Reflect.get(at, key);
  }
  return at;
}
const text = (value: unknown, ...path: string[]): string => {
  const v = read(value, ...path);
  return typeof v === 'string' || typeof v === 'number' ? String(v).normalize('NFC') : '';
};

const VN_TIME = 'Asia/Ho_Chi_Minh';
const parts = (iso: string) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: VN_TIME,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
/** `14 giờ 05 phút, ngày 01/12/2026` in Vietnam time. */
export function vietnameseInstant(iso: string): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '';
  const p = parts(iso);
  return `${p.hour} giờ ${p.minute} phút, ngày ${p.day}/${p.month}/${p.year}`;
}
const vietnameseDate = (local: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(local);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : local;
};

const sources: Record<string, string> = {
  person: 'Cá nhân trực tiếp báo tin',
  school: 'Nhà trường',
  'health-station': 'Cơ sở y tế',
  police: 'Cơ quan công an',
  'hotline-111': 'Tổng đài điện thoại quốc gia bảo vệ trẻ em 111',
  other: 'Nguồn khác',
};
const risks: Record<string, string> = { high: 'Cao', medium: 'Trung bình', low: 'Thấp' };
const measures: Record<string, string> = {
  'temporary-separation': 'Tạm thời cách ly trẻ em khỏi môi trường, người gây tổn hại',
  'medical-care': 'Chăm sóc y tế khẩn cấp',
  'safe-place': 'Bố trí nơi tạm trú an toàn',
  'police-protection': 'Đề nghị cơ quan công an bảo vệ',
  other: 'Biện pháp khác',
};
const sexes: Record<string, string> = { female: 'Nữ', male: 'Nam' };
const sectors: Record<string, string> = {
  health: 'Y tế',
  nutrition: 'Dinh dưỡng',
  education: 'Giáo dục',
  protection: 'Bảo vệ trẻ em',
  welfare: 'Trợ giúp xã hội',
};
const yesNo = (v: unknown) => (v === true ? 'Có' : v === false ? 'Không' : '');

/** The child's identification lines every form repeats (section 1 of most forms). */
function childLines(record: CaseRecordForForms): [string, string][] {
  const child = record.forms.child;
  return [
    ['Họ và tên trẻ em', text(child, 'fullName')],
    ['Ngày sinh', vietnameseDate(text(child, 'dateOfBirth'))],
    ['Giới tính', sexes[text(child, 'sex')] ?? ''],
    ['Địa chỉ', text(child, 'address')],
  ];
}

const officer = { role: 'NGƯỜI LÀM CÔNG TÁC BẢO VỆ TRẺ EM', note: '(Ký, ghi rõ họ tên)' };
const chairman = { role: 'CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ', note: '(Ký, ghi rõ họ tên, đóng dấu)' };

/** The content of one form for one case; `issuedAt` dates the printout. */
export function formContent(number: FormNumber, record: CaseRecordForForms, issuedAt: string): FormContent {
  const f = record.forms;
  const p = parts(issuedAt);
  const placeAndDate = `${record.communeName.replace(/^(Xã|Phường|Thị trấn)\s+/, '')}, ngày ${p.day} tháng ${p.month} năm ${p.year}`;
  const caseRef = ['Mã hồ sơ', record.caseId] as [string, string];
  switch (number) {
    case '01':
      return {
        number,
        title: 'PHIẾU GHI NHẬN THÔNG TIN, THÔNG BÁO, TỐ GIÁC VỀ HÀNH VI XÂM HẠI TRẺ EM',
        subtitle: 'hoặc trẻ em có nguy cơ bị bạo lực, bóc lột, bỏ rơi',
        sections: [
          {
            heading: '1. Thông tin về việc tiếp nhận',
            lines: [
              caseRef,
              ['Thời điểm nhận thông tin', vietnameseInstant(record.receivedAt)],
              ['Nguồn thông tin', sources[record.source] ?? record.source],
            ],
          },
          {
            heading: '2. Thông tin về người báo tin',
            lines: [
              ['Họ và tên', text(f.reporter, 'name')],
              ['Số điện thoại, địa chỉ liên hệ', text(f.reporter, 'contact')],
              ['Quan hệ với trẻ em', text(f.reporter, 'relationship')],
            ],
          },
          { heading: '3. Thông tin về trẻ em', lines: childLines(record) },
          {
            heading: '4. Nội dung thông tin, thông báo, tố giác',
            lines: [
              ['Sự việc', text(f.report, 'description')],
              ['Nơi xảy ra', text(f.report, 'place')],
              ['Trẻ em có nguy cơ bị tổn hại nghiêm trọng đến tính mạng, sức khỏe', yesNo(record.seriousRisk)],
            ],
          },
        ],
        placeAndDate,
        signatures: [
          { role: 'NGƯỜI BÁO TIN', note: '(Ký, ghi rõ họ tên, nếu có)', name: text(f.reporter, 'name') },
          { role: 'NGƯỜI TIẾP NHẬN THÔNG TIN', note: '(Ký, ghi rõ họ tên)', name: '' },
        ],
      };
    case '02':
      return {
        number,
        title: 'BIÊN BẢN ĐÁNH GIÁ NGUY CƠ BAN ĐẦU',
        subtitle: 'đối với trẻ em bị xâm hại hoặc có nguy cơ bị bạo lực, bóc lột, bỏ rơi',
        sections: [
          { heading: '1. Thông tin về trẻ em', lines: [caseRef, ...childLines(record)] },
          {
            heading: '2. Kết quả đánh giá nguy cơ',
            lines: [
              ['Mức độ nguy cơ', risks[text(f.riskAssessment, 'riskLevel')] ?? ''],
              [
                'Tính mạng, sức khỏe, nhân phẩm của trẻ em bị đe dọa nghiêm trọng',
                yesNo(read(f.riskAssessment, 'seriousRisk')),
              ],
              ['Nhận định, phát hiện', text(f.riskAssessment, 'findings')],
            ],
          },
          {
            heading: '3. Biện pháp bảo vệ khẩn cấp (trong 12 giờ)',
            lines: [
              ['Biện pháp', measures[text(f.emergencyMeasure, 'measure')] ?? ''],
              ['Mô tả', text(f.emergencyMeasure, 'description')],
              [
                'Thời điểm thực hiện',
                vietnameseInstant(text(f.emergencyMeasure, 'takenAt') || text(f.emergencyMeasure, 'at')),
              ],
            ],
          },
        ],
        placeAndDate,
        signatures: [{ ...officer, name: '' }],
      };
    case '03':
      return {
        number,
        title: 'BÁO CÁO XÁC MINH, ĐÁNH GIÁ NGUY CƠ VÀ BIÊN BẢN HỌP',
        subtitle: 'về trường hợp trẻ em bị xâm hại hoặc có nguy cơ bị xâm hại',
        sections: [
          { heading: '1. Thông tin về trẻ em', lines: [caseRef, ...childLines(record)] },
          {
            heading: '2. Cuộc họp',
            lines: [
              ['Ngày họp', vietnameseDate(text(f.caseMeeting, 'heldOn'))],
              [
                'Thành phần tham dự',
                (() => {
                  const list = read(f.caseMeeting, 'participants');
                  return Array.isArray(list) ? list.map((x) => String(x).normalize('NFC')).join('; ') : '';
                })(),
              ],
            ],
          },
          {
            heading: '3. Kết quả xác minh, đánh giá chi tiết',
            lines: [['Đánh giá', text(f.caseMeeting, 'detailedAssessment')]],
          },
          { heading: '4. Nội dung và kết luận cuộc họp', lines: [['Biên bản', text(f.caseMeeting, 'minutes')]] },
        ],
        placeAndDate,
        signatures: [
          { role: 'THƯ KÝ CUỘC HỌP', note: '(Ký, ghi rõ họ tên)', name: '' },
          { role: 'CHỦ TRÌ CUỘC HỌP', note: '(Ký, ghi rõ họ tên)', name: '' },
        ],
      };
    case '04': {
      const actions = read(f.plan, 'actions');
      return {
        number,
        title: 'KẾ HOẠCH HỖ TRỢ, CAN THIỆP',
        subtitle: 'đối với trẻ em bị xâm hại hoặc có nguy cơ bị bạo lực, bóc lột, bỏ rơi',
        sections: [
          { heading: '1. Thông tin về trẻ em', lines: [caseRef, ...childLines(record)] },
          { heading: '2. Mục tiêu', lines: [['Mục tiêu', text(f.plan, 'objectives')]] },
          {
            heading: '3. Các hoạt động hỗ trợ, can thiệp và cơ quan, tổ chức thực hiện',
            lines: Array.isArray(actions)
              ? actions.map((a, i) => [
                  `${i + 1}. ${text(a, 'body')}${text(a, 'sector') ? ` (${sectors[text(a, 'sector')] ?? ''})` : ''}`,
                  text(a, 'action'),
                ])
              : [],
          },
          {
            heading: '4. Thời gian rà soát, đánh giá',
            lines: [['Rà soát trước', vietnameseInstant(text(f.plan, 'reviewBy'))]],
          },
        ],
        placeAndDate,
        signatures: [
          { role: 'NGƯỜI LẬP KẾ HOẠCH', note: '(Ký, ghi rõ họ tên)', name: '' },
          { role: 'PHÊ DUYỆT CỦA CHỦ TỊCH UBND XÃ', note: '(Ký, ghi rõ họ tên, đóng dấu)', name: '' },
        ],
      };
    }
    case '05':
      return {
        number,
        title: 'QUYẾT ĐỊNH',
        subtitle: 'Về việc phê duyệt kế hoạch hỗ trợ, can thiệp cho trẻ em',
        sections: [
          {
            heading: '1. Căn cứ',
            lines: [
              ['', 'Luật Trẻ em ngày 05 tháng 4 năm 2016;'],
              ['', 'Nghị định số 56/2017/NĐ-CP ngày 09 tháng 5 năm 2017 quy định chi tiết Luật Trẻ em;'],
              ['', 'Xét đề nghị của người làm công tác bảo vệ trẻ em cấp xã.'],
            ],
          },
          {
            heading: '2. Quyết định',
            lines: [
              ['Số quyết định', text(f.approval, 'decisionNumber')],
              [
                'Điều 1',
                `Phê duyệt kế hoạch hỗ trợ, can thiệp cho trẻ em ${text(f.child, 'fullName')} (mã hồ sơ ${record.caseId}).`,
              ],
              ['Điều 2', 'Người làm công tác bảo vệ trẻ em cấp xã chủ trì, phối hợp tổ chức thực hiện kế hoạch.'],
              ['Ghi chú', text(f.approval, 'note')],
            ],
          },
        ],
        placeAndDate,
        signatures: [{ ...chairman, name: '' }],
      };
    case '06':
      return {
        number,
        title: 'BÁO CÁO ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN KẾ HOẠCH VÀ ĐÓNG HỒ SƠ',
        subtitle: 'hỗ trợ, can thiệp đối với trẻ em',
        sections: [
          { heading: '1. Thông tin về trẻ em', lines: [caseRef, ...childLines(record)] },
          {
            heading: '2. Kết quả rà soát, đánh giá',
            lines: [
              ['Đánh giá', text(f.review, 'summary')],
              ['Mức độ nguy cơ khi rà soát', risks[text(f.review, 'riskLevel')] ?? ''],
            ],
          },
          {
            heading: '3. Đóng hồ sơ',
            lines: [
              ['Mức độ nguy cơ khi đóng hồ sơ', risks[text(f.closure, 'riskAtClosure')] ?? ''],
              ['Tóm tắt', text(f.closure, 'summary')],
            ],
          },
        ],
        placeAndDate,
        signatures: [
          { ...officer, name: '' },
          { ...chairman, name: '' },
        ],
      };
  }
}
