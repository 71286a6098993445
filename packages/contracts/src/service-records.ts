import Type, { type TSchema } from 'typebox';

/**
 * Service records of the commune desks, defined once: the kinds a completion may carry and the
 * facts each kind must record. The welfare service's routes, the portal's completion form and the
 * directory's `services` all read them from here.
 */

/**
 * What a commune social-welfare desk records when it completes a referral: the support granted
 * (Decree 20/2021/NĐ-CP on social assistance, as amended).
 */
export const WelfareRecordKinds = [
  /** Monthly social allowance for a child without support or in a poor household (Decree 20/2021 Arts. 5–6). */
  'social-allowance',
  /** A free health-insurance card for a child under 6 (Law on Health Insurance), listed by the commune. */
  'health-insurance-card',
  /** Emergency assistance: food, shelter, relief after a disaster or a death (Decree 20/2021 Chapter III). */
  'emergency-relief',
  /** Care in a substitute family or in the community (Decree 20/2021 Chapter IV). */
  'community-care',
  /** Passed on to a district or province service the desk cannot give itself. */
  'onward-referral',
] as const;
export type WelfareRecordKind = (typeof WelfareRecordKinds)[number];

/** What the commune civil-status officer records: the birth, registered (Law on Civil Status 2014 Art. 16). */
export const CivilRegistrationRecordKinds = ['birth-registered'] as const;
export type CivilRegistrationRecordKind = (typeof CivilRegistrationRecordKinds)[number];

/**
 * A registered birth: the number in the civil-status book (Sổ đăng ký khai sinh), as on the birth
 * certificate. The record's `date` is the day the birth was registered.
 */
export const BirthRegisteredDetails = Type.Object(
  {
    registrationNumber: Type.String({
      minLength: 1,
      maxLength: 40,
      pattern: '^[0-9A-Za-z][0-9A-Za-z./-]*$',
      description: 'Số đăng ký in the civil-status book, as on the birth certificate, e.g. 125/2026',
    }),
  },
  { additionalProperties: false },
);

/**
 * A social allowance granted: the commune chairman's decision and the monthly amount (the
 * standard level times the coefficient of Decree 20/2021 Art. 6; levels change, so the amount is
 * recorded, never computed here).
 */
export const SocialAllowanceDetails = Type.Object(
  {
    decisionNumber: Type.String({
      minLength: 1,
      maxLength: 60,
      pattern: '^[0-9A-Za-zĐđ][0-9A-Za-zĐđ./-]*$',
      description: 'Number of the decision granting the allowance, e.g. 45/QĐ-UBND',
    }),
    monthlyAmountVnd: Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'Đồng per month' }),
  },
  { additionalProperties: false },
);

/** The facts a service record of a kind must carry in its `details`; kinds not listed need none. */
export const ServiceRecordDetails: Readonly<Record<string, TSchema>> = {
  'birth-registered': BirthRegisteredDetails,
  'social-allowance': SocialAllowanceDetails,
};
