import { describe, expect, it } from 'vitest';
import { canonicalVietnameseSpelling, normaliseVietnameseName } from './names';

describe('normaliseVietnameseName', () => {
  it('gives "Nguyễn Thị Hoà" and "nguyen thi hoa" the same key', () => {
    expect(normaliseVietnameseName('Nguyễn Thị Hoà')).toBe('nguyen thi hoa');
    expect(normaliseVietnameseName('Nguyễn Thị Hoà')).toBe(normaliseVietnameseName('nguyen thi hoa'));
  });

  it('ignores where the tone mark sits ("Hòa" / "Hoà") and how the text is encoded', () => {
    expect(normaliseVietnameseName('Hòa')).toBe(normaliseVietnameseName('Hoà'));
    expect(normaliseVietnameseName('Thủy')).toBe(normaliseVietnameseName('Thuỷ'));
    const decomposed = 'Nguyễn Thị Hoà'.normalize('NFD');
    expect(decomposed).not.toBe('Nguyễn Thị Hoà'.normalize('NFC'));
    expect(normaliseVietnameseName(decomposed)).toBe('nguyen thi hoa');
  });

  it('maps đ/Đ (and the look-alike Ð) to d, and collapses spaces', () => {
    expect(normaliseVietnameseName('  ĐẶNG   Văn\tĐức ')).toBe('dang van duc');
    expect(normaliseVietnameseName('Ðỗ Thị Ðào')).toBe('do thi dao');
    expect(normaliseVietnameseName('Trần Thị Ngọc Ánh')).toBe('tran thi ngoc anh');
    expect(normaliseVietnameseName('Lê Ơn Ưng Ăn Ân Ê Ô')).toBe('le on ung an an e o');
  });
});

describe('canonicalVietnameseSpelling', () => {
  it('puts the tone of a final "oa", "oe", "uy" on the first vowel', () => {
    expect(canonicalVietnameseSpelling('Nguyễn Thị Hoà')).toBe('Nguyễn Thị Hòa');
    expect(canonicalVietnameseSpelling('Nguyễn Thị Hoà')).toBe(canonicalVietnameseSpelling('Nguyễn  Thị Hòa'));
    expect(canonicalVietnameseSpelling('Thuỷ')).toBe('Thủy');
    expect(canonicalVietnameseSpelling('khoẻ')).toBe('khỏe');
    expect(canonicalVietnameseSpelling('HOÀ')).toBe('HÒA');
  });

  it('leaves other words alone and keeps names apart that differ', () => {
    expect(canonicalVietnameseSpelling('Quý')).toBe('Quý');
    expect(canonicalVietnameseSpelling('Hoàng Toản')).toBe('Hoàng Toản');
    expect(canonicalVietnameseSpelling('Hoa')).not.toBe(canonicalVietnameseSpelling('Hòa'));
    expect(canonicalVietnameseSpelling('Hóa')).not.toBe(canonicalVietnameseSpelling('Hòa'));
    expect(canonicalVietnameseSpelling('Ðỗ')).toBe('Đỗ');
    expect(canonicalVietnameseSpelling('Hoà'.normalize('NFD'))).toBe('Hòa'.normalize('NFC'));
  });
});
