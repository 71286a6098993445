import type { HolidayCalendarData } from '../working-day-calendar';
import { vn2025 } from './vn-2025';
import { vn2026 } from './vn-2026';
import { vn2027 } from './vn-2027';

export { vn2025, vn2026, vn2027 };

/** Every year of Vietnamese holiday data shipped with the package, ascending. */
export const vietnamHolidayCalendars: readonly HolidayCalendarData[] = [vn2025, vn2026, vn2027];
