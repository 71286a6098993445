export {
  VIETNAM_UTC_OFFSET_MINUTES,
  VIETNAM_UTC_OFFSET_MS,
  endOfLocalDay,
  startOfLocalDay,
  toLocalDate,
} from './local-time';
export type { LocalDate, Weekday } from './local-time';
export * from './working-day-calendar';
export * from './holidays';
export * from './sla-policy';
export * from './referral-deadlines';
export * from './administrative-units';
