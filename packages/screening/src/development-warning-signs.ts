/**
 * Early warning signs of autism spectrum disorder and developmental delay, children 0–72 months,
 * as the Ministry of Health's guidance lists them (Decision 2254/QĐ-BYT, 2021). Any sign is a
 * reason to refer the child for a specialist developmental assessment; a loss of skills at any age
 * is the most urgent of them.
 *
 * A milestone sign is triggered when the child has reached the age and the milestone is recorded as
 * NOT observed (`false`); a milestone that was not asked about (absent) triggers nothing, so the
 * screening form should ask every question {@link milestonesToAsk} returns. The loss-of-skills sign
 * is triggered when a loss is recorded as observed (`true`).
 *
 * Ages are completed months; for a child born before 37 weeks the caller may pass the corrected age.
 */

export type WarningSignKind = 'milestone-not-reached' | 'loss-of-skills';

export interface DevelopmentWarningSign {
  id: string;
  kind: WarningSignKind;
  /** Key of the observation the sign reads. */
  observation: string;
  /** For a milestone: the age in completed months by which it should be observed. */
  byAgeMonths?: number;
  /** The question to ask the caregiver, which the observation answers. */
  question: string;
  questionVi: string;
  /** What it means when triggered. */
  text: string;
  textVi: string;
}

export interface DevelopmentWarningSignSet {
  /** Ages (completed months, inclusive) the signs apply to. */
  fromAgeMonths: number;
  toAgeMonths: number;
  signs: DevelopmentWarningSign[];
  source: string;
}

export const developmentWarningSigns: DevelopmentWarningSignSet = {
  fromAgeMonths: 0,
  toAgeMonths: 72,
  source:
    'Decision 2254/QĐ-BYT (Ministry of Health, 2021), early signs of autism spectrum disorder in children ' +
    '0–72 months: no smile by 6 months; no back-and-forth sounds or smiles by 9 months; no babbling, no ' +
    'pointing or other gestures by 12 months; no single words by 16 months; no meaningful two-word phrases by ' +
    '24 months; any loss of language or social skills at any age.',
  signs: [
    {
      id: 'no-smile-6m',
      kind: 'milestone-not-reached',
      observation: 'social-smile',
      byAgeMonths: 6,
      question: 'Does the child smile broadly or show joy when people smile or talk to them?',
      questionVi: 'Trẻ có cười, biểu lộ vui vẻ khi được người khác cười, nói chuyện với trẻ không?',
      text: 'No big smiles or other warm, joyful expressions by 6 months',
      textVi: 'Không cười hoặc không biểu lộ vui vẻ khi được 6 tháng tuổi',
    },
    {
      id: 'no-back-and-forth-9m',
      kind: 'milestone-not-reached',
      observation: 'back-and-forth-sounds-smiles',
      byAgeMonths: 9,
      question: 'Does the child exchange sounds, smiles or facial expressions back and forth with you?',
      questionVi: 'Trẻ có qua lại với người khác bằng âm thanh, nụ cười hoặc nét mặt không?',
      text: 'No back-and-forth sharing of sounds, smiles or facial expressions by 9 months',
      textVi: 'Không có sự qua lại trong chia sẻ âm thanh, nụ cười hoặc nét mặt khi được 9 tháng tuổi',
    },
    {
      id: 'no-babbling-12m',
      kind: 'milestone-not-reached',
      observation: 'babbling',
      byAgeMonths: 12,
      question: 'Does the child babble (e.g. "ba-ba", "ma-ma")?',
      questionVi: 'Trẻ có bập bẹ (ví dụ "ba ba", "ma ma") không?',
      text: 'No babbling by 12 months',
      textVi: 'Không bập bẹ khi được 12 tháng tuổi',
    },
    {
      id: 'no-gestures-12m',
      kind: 'milestone-not-reached',
      observation: 'pointing-gestures',
      byAgeMonths: 12,
      question: 'Does the child point, show, reach or wave to communicate?',
      questionVi: 'Trẻ có chỉ tay, đưa đồ vật cho xem, với tay hoặc vẫy tay để giao tiếp không?',
      text: 'No pointing or other communicative gestures (showing, reaching, waving) by 12 months',
      textVi: 'Không chỉ tay hoặc không có cử chỉ giao tiếp (đưa cho xem, với tay, vẫy tay) khi được 12 tháng tuổi',
    },
    {
      id: 'no-words-16m',
      kind: 'milestone-not-reached',
      observation: 'single-words',
      byAgeMonths: 16,
      question: 'Does the child say single words with meaning?',
      questionVi: 'Trẻ có nói được từ đơn có nghĩa không?',
      text: 'No single words by 16 months',
      textVi: 'Không nói được từ đơn nào khi được 16 tháng tuổi',
    },
    {
      id: 'no-phrases-24m',
      kind: 'milestone-not-reached',
      observation: 'two-word-phrases',
      byAgeMonths: 24,
      question: 'Does the child say meaningful two-word phrases of their own (not repeating others)?',
      questionVi: 'Trẻ có tự nói được câu hai từ có nghĩa (không phải nhại lại lời người khác) không?',
      text: 'No meaningful two-word phrases (not imitated or repeated) by 24 months',
      textVi: 'Không nói được câu hai từ có nghĩa (không phải nhại lại) khi được 24 tháng tuổi',
    },
    {
      id: 'loss-of-skills',
      kind: 'loss-of-skills',
      observation: 'loss-of-language-or-social-skills',
      question: 'Has the child lost words, babbling or social skills they used to have?',
      questionVi: 'Trẻ có bị mất các từ đã nói được, mất bập bẹ hoặc mất kỹ năng giao tiếp xã hội đã có không?',
      text: 'Loss of speech, babbling or social skills (regression) at any age',
      textVi: 'Mất kỹ năng ngôn ngữ, bập bẹ hoặc kỹ năng xã hội đã có, ở bất kỳ lứa tuổi nào',
    },
  ],
};

/** Observation key → observed. For a milestone, `true` = the child does it; for the loss of skills, `true` = a loss. */
export type DevelopmentObservations = Readonly<Record<string, boolean>>;

function assertAgeMonths(ageMonths: number): void {
  if (!Number.isInteger(ageMonths) || ageMonths < 0) throw new RangeError('ageMonths must be a whole number ≥ 0');
}

function inRange(ageMonths: number, set: DevelopmentWarningSignSet): boolean {
  return ageMonths >= set.fromAgeMonths && ageMonths <= set.toAgeMonths;
}

/**
 * The warning signs triggered for a child of `ageMonths` (completed months) by `observations`;
 * none outside the age range of the set (0–72 months).
 */
export function developmentWarnings(input: {
  ageMonths: number;
  observations: DevelopmentObservations;
  signs?: DevelopmentWarningSignSet;
}): DevelopmentWarningSign[] {
  const set = input.signs ?? developmentWarningSigns;
  assertAgeMonths(input.ageMonths);
  if (!inRange(input.ageMonths, set)) return [];
  return set.signs.filter((sign) => {
    const observed = input.observations[sign.observation];
    if (sign.kind === 'loss-of-skills') return observed === true;
    return input.ageMonths >= (sign.byAgeMonths ?? 0) && observed === false;
  });
}

/**
 * The signs to ask about for a child of `ageMonths`: every milestone whose age has been reached,
 * and the loss of skills (always); none outside the age range of the set.
 */
export function milestonesToAsk(ageMonths: number, signs?: DevelopmentWarningSignSet): DevelopmentWarningSign[] {
  const set = signs ?? developmentWarningSigns;
  assertAgeMonths(ageMonths);
  if (!inRange(ageMonths, set)) return [];
  return set.signs.filter((sign) => sign.kind === 'loss-of-skills' || ageMonths >= (sign.byAgeMonths ?? 0));
}
