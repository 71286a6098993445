/**
 * Vietnamese names for duplicate checks. The same name reaches the system in many spellings:
 * composed or decomposed Unicode, the tone mark on either vowel of "oa", "oe", "uy" ("Hòa" and
 * "Hoà" are both correct), upper or lower case, stray spaces, and "Đ" typed as the look-alike "Ð".
 */

/** Tone marks (combining): grave, acute, tilde, hook above, dot below. */
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/u;
const COMBINING_MARKS = /[\u0300-\u036f]/gu;
const SPACES = /\s+/gu;

/**
 * The key two names must share to be duplicate candidates: lower-case, every diacritic removed
 * (tone marks and vowel marks, and đ → d), spaces collapsed. "Nguyễn Thị Hoà" and "nguyen thi hoa"
 * give the same key. It is deliberately loose (it also equates "Hoa" and "Hòa"): a match is a
 * candidate for a person to look at, never a merge.
 */
export function normaliseVietnameseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đĐðÐ]/gu, 'd')
    .toLowerCase()
    .replace(SPACES, ' ')
    .trim();
}

/**
 * One spelling per name, keeping its diacritics: composed Unicode (NFC), spaces collapsed, "Ð"/"ð"
 * replaced by "Đ"/"đ", and the tone mark of a word ending in "oa", "oe" or "uy" put on the first of
 * the two vowels ("Hoà" → "Hòa", "Thuỷ" → "Thủy", "khoẻ" → "khỏe"; "Quý", where "qu" is the
 * consonant, and "Hoàng", closed by a consonant, are left alone). Names equal under this function
 * are the same name written differently; case is kept.
 */
export function canonicalVietnameseSpelling(name: string): string {
  return name
    .replace(/ð/gu, 'đ')
    .replace(/Ð/gu, 'Đ')
    .replace(SPACES, ' ')
    .trim()
    .split(' ')
    .map(canonicalWord)
    .join(' ')
    .normalize('NFC');
}

function canonicalWord(word: string): string {
  // Decompose so each letter is a base letter followed by its marks.
  const letters = word.normalize('NFD').match(/\P{M}\p{M}*/gu) ?? [];
  const n = letters.length;
  if (n < 2) return word;
  const base = (i: number) => (letters[i] ?? '').normalize('NFD').charAt(0).toLowerCase();
  const first = base(n - 2);
  const second = base(n - 1);
  const pair = first + second;
  if (pair !== 'oa' && pair !== 'oe' && pair !== 'uy') return word;
  // Only bare o/u and a/e/y (no circumflex, breve or horn) form these diphthongs.
  if (letters[n - 2]!.length > 1 && !onlyTone(letters[n - 2]!)) return word;
  if (letters[n - 1]!.length > 1 && !onlyTone(letters[n - 1]!)) return word;
  if (pair === 'uy' && base(n - 3) === 'q') return word;
  const tone = letters[n - 1]!.slice(1).match(TONE_MARKS)?.[0];
  if (!tone) return word;
  letters[n - 1] = letters[n - 1]!.replace(tone, '');
  letters[n - 2] = letters[n - 2]! + tone;
  return letters.join('');
}

function onlyTone(letter: string): boolean {
  const marks = letter.slice(1);
  return marks.length === 1 && TONE_MARKS.test(marks);
}
