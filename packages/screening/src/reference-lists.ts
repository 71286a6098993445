/**
 * Reference lists the screening and intake forms use. Data, with sources; codes are stable
 * identifiers and are never reused.
 */

export interface SpecialCircumstanceGroup {
  /** Item number of Law on Children Art. 10(1), two digits. */
  code: string;
  /** Stable slug, e.g. `abandoned`. */
  id: string;
  nameVi: string;
  name: string;
}

/**
 * The 14 groups of children in special circumstances ("trẻ em có hoàn cảnh đặc biệt"), Law on
 * Children 2016 (Luật Trẻ em, 102/2016/QH13) Art. 10(1), in the order of the law. A child can be in
 * several groups. Decree 56/2017/NĐ-CP Chapter II splits several of them into sub-groups for the
 * support measures; the sub-groups are not coded here.
 */
export const specialCircumstanceGroups: readonly SpecialCircumstanceGroup[] = [
  { code: '01', id: 'orphaned', nameVi: 'Trẻ em mồ côi cả cha và mẹ', name: 'Orphaned of both parents' },
  { code: '02', id: 'abandoned', nameVi: 'Trẻ em bị bỏ rơi', name: 'Abandoned' },
  { code: '03', id: 'no-one-to-rely-on', nameVi: 'Trẻ em không nơi nương tựa', name: 'Without anyone to rely on' },
  { code: '04', id: 'disability', nameVi: 'Trẻ em khuyết tật', name: 'With disabilities' },
  { code: '05', id: 'hiv-aids', nameVi: 'Trẻ em nhiễm HIV/AIDS', name: 'Living with HIV/AIDS' },
  { code: '06', id: 'in-conflict-with-law', nameVi: 'Trẻ em vi phạm pháp luật', name: 'In conflict with the law' },
  { code: '07', id: 'drug-addicted', nameVi: 'Trẻ em nghiện ma túy', name: 'Addicted to drugs' },
  {
    code: '08',
    id: 'dropped-out-to-work',
    nameVi: 'Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở',
    name: 'Dropped out of school to earn a living before completing lower-secondary education',
  },
  {
    code: '09',
    id: 'harmed-by-violence',
    nameVi: 'Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực',
    name: 'Seriously harmed in body and mind by violence',
  },
  { code: '10', id: 'exploited', nameVi: 'Trẻ em bị bóc lột', name: 'Exploited' },
  { code: '11', id: 'sexually-abused', nameVi: 'Trẻ em bị xâm hại tình dục', name: 'Sexually abused' },
  { code: '12', id: 'trafficked', nameVi: 'Trẻ em bị mua bán', name: 'Trafficked' },
  {
    code: '13',
    id: 'serious-illness-poor-household',
    nameVi: 'Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo hoặc hộ cận nghèo',
    name: 'With a life-threatening or long-term illness, in a poor or near-poor household',
  },
  {
    code: '14',
    id: 'migrant-refugee-unaccompanied',
    nameVi: 'Trẻ em di cư, trẻ em lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc',
    name: 'Migrant, displaced or refugee child whose parents are unidentified or who has no caregiver',
  },
];

/** The group with this code (`'04'`) or id (`'disability'`); undefined when there is none. */
export function findSpecialCircumstanceGroup(codeOrId: string): SpecialCircumstanceGroup | undefined {
  return specialCircumstanceGroups.find((group) => group.code === codeOrId || group.id === codeOrId);
}

export interface EthnicGroup {
  /** Two-digit code of Decision 1019/QĐ-TCTK. */
  code: string;
  /** Vietnamese name as the code list writes it (spellings vary between documents). */
  nameVi: string;
  /** Plain-ASCII / English form. */
  name: string;
  /** Other common spellings or names, for matching what people write. */
  aliases?: string[];
}

/**
 * The 54 ethnic groups of Vietnam with their official codes: "Danh mục các dân tộc Việt Nam",
 * Decision 1019/QĐ-TCTK of the General Statistics Office, 12 Nov 2008 (ordered by population at the
 * 1999 census; the older Decision 121-TCTK/PPCĐ of 1979 used a different order, so never mix the
 * two). Codes 01–20 were checked against the published code list; 21–54 follow the same list as
 * reproduced in public registration systems. 36/37: one secondary source swaps La Chí and Kháng;
 * the order here (La Chí before Kháng) is the 1999-census order the decision follows and the one
 * most sources give — confirm against the decision text before relying on these two codes.
 */
export const ethnicGroups: readonly EthnicGroup[] = [
  { code: '01', nameVi: 'Kinh', name: 'Kinh (Viet)', aliases: ['Việt'] },
  { code: '02', nameVi: 'Tày', name: 'Tay' },
  { code: '03', nameVi: 'Thái', name: 'Thai' },
  { code: '04', nameVi: 'Mường', name: 'Muong' },
  { code: '05', nameVi: 'Khmer', name: 'Khmer', aliases: ['Khơ me', 'Khơ-me'] },
  { code: '06', nameVi: 'Hoa', name: 'Hoa (Chinese)', aliases: ['Hán'] },
  { code: '07', nameVi: 'Nùng', name: 'Nung' },
  { code: '08', nameVi: "H'Mông", name: 'Hmong', aliases: ['Mông', 'HMông', 'Hmông', 'Mèo'] },
  { code: '09', nameVi: 'Dao', name: 'Dao' },
  { code: '10', nameVi: 'Gia Rai', name: 'Jarai', aliases: ['Gia-rai', 'Giarai'] },
  { code: '11', nameVi: 'Ê Đê', name: 'Ede', aliases: ['Ê-đê', 'Ra-đê'] },
  { code: '12', nameVi: 'Ba Na', name: 'Bahnar', aliases: ['Ba-na'] },
  { code: '13', nameVi: 'Sán Chay', name: 'San Chay', aliases: ['Cao Lan-Sán Chỉ', 'Cao Lan', 'Sán Chỉ'] },
  { code: '14', nameVi: 'Chăm', name: 'Cham', aliases: ['Chàm'] },
  { code: '15', nameVi: 'Cơ Ho', name: 'Koho', aliases: ['Cơ-ho', 'K’Ho'] },
  { code: '16', nameVi: 'Xơ Đăng', name: 'Xo Dang (Sedang)', aliases: ['Xơ-đăng'] },
  { code: '17', nameVi: 'Sán Dìu', name: 'San Diu' },
  { code: '18', nameVi: 'Hrê', name: 'Hre' },
  { code: '19', nameVi: 'Ra Glai', name: 'Raglai', aliases: ['Ra-glai'] },
  { code: '20', nameVi: 'Mnông', name: 'Mnong', aliases: ["M'Nông"] },
  { code: '21', nameVi: 'Thổ', name: 'Tho' },
  { code: '22', nameVi: 'Xtiêng', name: 'Stieng', aliases: ["X'Tiêng", 'Stiêng'] },
  { code: '23', nameVi: 'Khơ Mú', name: 'Khmu', aliases: ['Khơ-mú'] },
  { code: '24', nameVi: 'Bru-Vân Kiều', name: 'Bru-Van Kieu' },
  { code: '25', nameVi: 'Cơ Tu', name: 'Co Tu (Katu)', aliases: ['Cơ-tu'] },
  { code: '26', nameVi: 'Giáy', name: 'Giay' },
  { code: '27', nameVi: 'Tà Ôi', name: 'Ta Oi', aliases: ['Tà-ôi'] },
  { code: '28', nameVi: 'Mạ', name: 'Ma' },
  { code: '29', nameVi: 'Giẻ Triêng', name: 'Gie Trieng', aliases: ['Gié-Triêng'] },
  { code: '30', nameVi: 'Co', name: 'Co' },
  { code: '31', nameVi: 'Chơ Ro', name: 'Cho Ro', aliases: ['Chơ-ro'] },
  { code: '32', nameVi: 'Xinh Mun', name: 'Xinh Mun', aliases: ['Xinh-mun'] },
  { code: '33', nameVi: 'Hà Nhì', name: 'Ha Nhi' },
  { code: '34', nameVi: 'Chu Ru', name: 'Chu Ru', aliases: ['Chu-ru'] },
  { code: '35', nameVi: 'Lào', name: 'Lao' },
  { code: '36', nameVi: 'La Chí', name: 'La Chi' },
  { code: '37', nameVi: 'Kháng', name: 'Khang' },
  { code: '38', nameVi: 'Phù Lá', name: 'Phu La' },
  { code: '39', nameVi: 'La Hủ', name: 'La Hu' },
  { code: '40', nameVi: 'La Ha', name: 'La Ha' },
  { code: '41', nameVi: 'Pà Thẻn', name: 'Pa Then' },
  { code: '42', nameVi: 'Lự', name: 'Lu' },
  { code: '43', nameVi: 'Ngái', name: 'Ngai' },
  { code: '44', nameVi: 'Chứt', name: 'Chut' },
  { code: '45', nameVi: 'Lô Lô', name: 'Lo Lo' },
  { code: '46', nameVi: 'Mảng', name: 'Mang' },
  { code: '47', nameVi: 'Cơ Lao', name: 'Co Lao', aliases: ['Cờ Lao'] },
  { code: '48', nameVi: 'Bố Y', name: 'Bo Y' },
  { code: '49', nameVi: 'Cống', name: 'Cong' },
  { code: '50', nameVi: 'Si La', name: 'Si La' },
  { code: '51', nameVi: 'Pu Péo', name: 'Pu Peo' },
  { code: '52', nameVi: 'Rơ Măm', name: 'Ro Mam', aliases: ['Rơ-măm'] },
  { code: '53', nameVi: 'Brâu', name: 'Brau' },
  { code: '54', nameVi: 'Ơ Đu', name: 'O Du', aliases: ['Ơ-đu'] },
];

/** The ethnic group with this code; undefined when there is none. */
export function findEthnicGroup(code: string): EthnicGroup | undefined {
  return ethnicGroups.find((group) => group.code === code);
}
