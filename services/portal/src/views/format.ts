/** Vietnam's civil time: every instant is shown in it, whatever the server's zone. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `dd/mm/yyyy HH:mm` in Vietnam time. */
export function formatInstant(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = Object.fromEntries(parts.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** `dd/mm/yyyy` for a calendar date (`YYYY-MM-DD`, already local). */
export function formatDate(local: string | undefined): string {
  if (!local) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(local);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : local;
}

/** Today's date in Vietnam, `YYYY-MM-DD` (what date inputs and the services expect). */
export function vietnamToday(now = new Date()): string {
  const p = Object.fromEntries(parts.formatToParts(now).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** Whole months of age on `today` (both `YYYY-MM-DD`). */
export function ageInMonths(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return Math.max(0, (ty - by) * 12 + (tm - bm) - (td < bd ? 1 : 0));
}

/** "in 2 h 05 min" / "3 min overdue", for a deadline; the browser keeps it ticking (portal.js). */
export function timeLeft(iso: string, lang: 'vi' | 'en', now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const span =
    lang === 'en'
      ? [days && `${days} d`, (days || hours) && `${hours} h`, `${mins} min`].filter(Boolean).join(' ')
      : [days && `${days} ngày`, (days || hours) && `${hours} giờ`, `${mins} phút`].filter(Boolean).join(' ');
  if (ms < 0) return lang === 'en' ? `${span} overdue` : `quá hạn ${span}`;
  return lang === 'en' ? `${span} left` : `còn ${span}`;
}
