import type { StaffRole } from '@ecd/service-kit';

/**
 * Demo staff of the local identity provider: Lào Cai after the 2025 reform (province code '10',
 * communes of the former Bát Xát district). DEMO ONLY: the passwords are public (they are listed
 * in services/identity/README.md) and this provider must never hold real accounts.
 */
export interface DemoStaffMember {
  /** Stable subject identifier (`sub`), what audit records name. */
  id: string;
  username: string;
  password: string;
  name: string;
  role: StaffRole;
  /** 5-digit commune code, or 2-digit province code for province staff. */
  unitCode?: string;
  facilityId?: string;
  /** Job and workplace, shown nowhere but here to make the demo readable. */
  title: string;
}

export const demoCommunes = {
  '02701': 'Xã Bát Xát',
  '02704': 'Xã Y Tý',
  '02707': 'Xã A Mú Sung',
  '02710': 'Xã Trịnh Tường',
  '02713': 'Phường Sa Pa',
} as const;

export const demoFacilities = {
  'TYT-02704': { name: 'Trạm Y tế xã Y Tý', kind: 'health', unitCode: '02704' },
  'MN-02704': { name: 'Trường Mầm non Y Tý', kind: 'education', unitCode: '02704' },
  'TYT-02701': { name: 'Trạm Y tế xã Bát Xát', kind: 'health', unitCode: '02701' },
  'MN-02701': { name: 'Trường Mầm non Bát Xát', kind: 'education', unitCode: '02701' },
  'TYT-02707': { name: 'Trạm Y tế xã A Mú Sung', kind: 'health', unitCode: '02707' },
  'MN-02707': { name: 'Trường Mầm non A Mú Sung', kind: 'education', unitCode: '02707' },
  'VHXH-02704': { name: 'Phòng Văn hoá - Xã hội xã Y Tý (trợ giúp xã hội)', kind: 'welfare', unitCode: '02704' },
  'TP-02704': { name: 'Tư pháp - hộ tịch, UBND xã Y Tý', kind: 'civil-registration', unitCode: '02704' },
  'VHXH-02701': { name: 'Phòng Văn hoá - Xã hội xã Bát Xát (trợ giúp xã hội)', kind: 'welfare', unitCode: '02701' },
  'TP-02701': { name: 'Tư pháp - hộ tịch, UBND xã Bát Xát', kind: 'civil-registration', unitCode: '02701' },
  'TP-02707': { name: 'Tư pháp - hộ tịch, UBND xã A Mú Sung', kind: 'civil-registration', unitCode: '02707' },
} as const;

export const LAO_CAI_PROVINCE_CODE = '10';

export const demoUsers: readonly DemoStaffMember[] = [
  {
    id: 'staff-0001',
    username: 'canbo.yty',
    password: 'yty-intake-01',
    name: 'Chu Thị Sa',
    role: 'intake-staff',
    unitCode: '02704',
    title: 'Cán bộ văn hoá - xã hội, UBND xã Y Tý',
  },
  {
    id: 'staff-0002',
    username: 'canbo.batxat',
    password: 'batxat-intake-01',
    name: 'Nguyễn Thị Hoa',
    role: 'intake-staff',
    unitCode: '02701',
    title: 'Cán bộ văn hoá - xã hội, UBND xã Bát Xát',
  },
  {
    id: 'staff-0003',
    username: 'yte.yty',
    password: 'yty-health-01',
    name: 'Lý Seo Chứ',
    role: 'health-staff',
    facilityId: 'TYT-02704',
    title: 'Y sĩ, Trạm Y tế xã Y Tý',
  },
  {
    id: 'staff-0004',
    username: 'yte.batxat',
    password: 'batxat-health-01',
    name: 'Trần Văn Hùng',
    role: 'health-staff',
    facilityId: 'TYT-02701',
    title: 'Điều dưỡng, Trạm Y tế xã Bát Xát',
  },
  {
    id: 'staff-0005',
    username: 'giaovien.yty',
    password: 'yty-teacher-01',
    name: 'Phu Thị Mỷ',
    role: 'education-staff',
    facilityId: 'MN-02704',
    title: 'Giáo viên, Trường Mầm non Y Tý',
  },
  {
    id: 'staff-0006',
    username: 'giaovien.batxat',
    password: 'batxat-teacher-01',
    name: 'Lê Thị Thu Trang',
    role: 'education-staff',
    facilityId: 'MN-02701',
    title: 'Giáo viên, Trường Mầm non Bát Xát',
  },
  {
    id: 'staff-0007',
    username: 'truongtram.yty',
    password: 'yty-manager-01',
    name: 'Đỗ Thị Thu Hà',
    role: 'facility-manager',
    facilityId: 'TYT-02704',
    title: 'Trạm trưởng, Trạm Y tế xã Y Tý',
  },
  {
    id: 'staff-0008',
    username: 'hieutruong.yty',
    password: 'yty-principal-01',
    name: 'Hoàng Thị Lan',
    role: 'school-principal',
    facilityId: 'MN-02704',
    title: 'Hiệu trưởng, Trường Mầm non Y Tý',
  },
  {
    id: 'staff-0009',
    username: 'baove.yty',
    password: 'yty-protection-01',
    name: 'Sùng Thị Mai',
    role: 'protection-officer',
    unitCode: '02704',
    title: 'Người làm công tác bảo vệ trẻ em, xã Y Tý',
  },
  {
    id: 'staff-0010',
    username: 'baove.batxat',
    password: 'batxat-protection-01',
    name: 'Phạm Văn Long',
    role: 'protection-officer',
    unitCode: '02701',
    title: 'Người làm công tác bảo vệ trẻ em, xã Bát Xát',
  },
  {
    id: 'staff-0011',
    username: 'chutich.yty',
    password: 'yty-chairman-01',
    name: 'Giàng Seo Phử',
    role: 'commune-chairman',
    unitCode: '02704',
    title: 'Chủ tịch UBND xã Y Tý',
  },
  {
    id: 'staff-0012',
    username: 'giamsat.laocai',
    password: 'laocai-supervisor-01',
    name: 'Vũ Minh Đức',
    role: 'supervisor',
    unitCode: LAO_CAI_PROVINCE_CODE,
    title: 'Chuyên viên giám sát, Sở Y tế tỉnh Lào Cai',
  },
  {
    id: 'staff-0013',
    username: 'chuyenvien.sogd',
    password: 'laocai-education-01',
    name: 'Bùi Thị Hằng',
    role: 'education-officer',
    unitCode: LAO_CAI_PROVINCE_CODE,
    title: 'Chuyên viên, Sở Giáo dục và Đào tạo tỉnh Lào Cai',
  },
  {
    id: 'staff-0014',
    username: 'canbo.amusung',
    password: 'amusung-intake-01',
    name: 'Vàng Thị Dợ',
    role: 'intake-staff',
    unitCode: '02707',
    title: 'Cán bộ văn hoá - xã hội, UBND xã A Mú Sung',
  },
  {
    id: 'staff-0015',
    username: 'yte.amusung',
    password: 'amusung-health-01',
    name: 'Hoàng Văn Thắng',
    role: 'health-staff',
    facilityId: 'TYT-02707',
    title: 'Y sĩ, Trạm Y tế xã A Mú Sung',
  },
  {
    id: 'staff-0016',
    username: 'giaovien.amusung',
    password: 'amusung-teacher-01',
    name: 'Lù Thị Hoa',
    role: 'education-staff',
    facilityId: 'MN-02707',
    title: 'Giáo viên, Trường Mầm non A Mú Sung',
  },
  {
    id: 'staff-0017',
    username: 'baove.amusung',
    password: 'amusung-protection-01',
    name: 'Ly Seo Dìn',
    role: 'protection-officer',
    unitCode: '02707',
    title: 'Người làm công tác bảo vệ trẻ em, xã A Mú Sung',
  },
  {
    id: 'staff-0018',
    username: 'phobaove.yty',
    password: 'yty-protection-02',
    name: 'Thào Văn Sử',
    role: 'protection-officer',
    unitCode: '02704',
    title: 'Cộng tác viên bảo vệ trẻ em, xã Y Tý',
  },
  {
    id: 'staff-0019',
    username: 'quantri.laocai',
    password: 'laocai-accounts-01',
    name: 'Đinh Văn Quân',
    role: 'account-administrator',
    unitCode: LAO_CAI_PROVINCE_CODE,
    title: 'Quản trị tài khoản, Sở Y tế tỉnh Lào Cai',
  },
  {
    id: 'staff-0020',
    username: 'xahoi.yty',
    password: 'yty-welfare-01',
    name: 'Sần Thị Mẩy',
    role: 'welfare-staff',
    facilityId: 'VHXH-02704',
    title: 'Công chức Văn hoá - Xã hội (trợ giúp xã hội), UBND xã Y Tý',
  },
  {
    id: 'staff-0021',
    username: 'hotich.yty',
    password: 'yty-civil-status-01',
    name: 'Lò Văn Chinh',
    role: 'civil-status-officer',
    facilityId: 'TP-02704',
    title: 'Công chức Tư pháp - hộ tịch, UBND xã Y Tý',
  },
  {
    id: 'staff-0022',
    username: 'xahoi.batxat',
    password: 'batxat-welfare-01',
    name: 'Đặng Thị Huyền',
    role: 'welfare-staff',
    facilityId: 'VHXH-02701',
    title: 'Công chức Văn hoá - Xã hội (trợ giúp xã hội), UBND xã Bát Xát',
  },
  {
    id: 'staff-0023',
    username: 'hotich.batxat',
    password: 'batxat-civil-status-01',
    name: 'Ngô Văn Thành',
    role: 'civil-status-officer',
    facilityId: 'TP-02701',
    title: 'Công chức Tư pháp - hộ tịch, UBND xã Bát Xát',
  },
  {
    id: 'staff-0024',
    username: 'hotich.amusung',
    password: 'amusung-civil-status-01',
    name: 'Tẩn Văn Sinh',
    role: 'civil-status-officer',
    facilityId: 'TP-02707',
    title: 'Công chức Tư pháp - hộ tịch, UBND xã A Mú Sung',
  },
  {
    // A second commune chairman, so that two communes write and submit their reports (issue 14).
    id: 'staff-0030',
    username: 'chutich.batxat',
    password: 'batxat-chairman-01',
    name: 'Lò Văn Thành',
    role: 'commune-chairman',
    unitCode: '02701',
    title: 'Chủ tịch UBND xã Bát Xát',
  },
  {
    id: 'staff-0031',
    username: 'chutich.amusung',
    password: 'amusung-chairman-01',
    name: 'Sần Seo Lử',
    role: 'commune-chairman',
    unitCode: '02707',
    title: 'Chủ tịch UBND xã A Mú Sung',
  },
];
