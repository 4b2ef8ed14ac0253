const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Compact inbox time: "now", "5m", "3h", "2d", then a date. */
export function relativeTime(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  const diff = Math.max(0, now - then);
  if (diff < MINUTE) return 'now';
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)}m`;
  if (diff < DAY) return `${Math.floor(diff / HOUR)}h`;
  if (diff < 7 * DAY) return `${Math.floor(diff / DAY)}d`;
  return new Date(then).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Only http(s) URLs become links; anything else (javascript:, data:) stays plain text. */
export function safeHttpUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Calendar-day key in local time, for grouping messages by day. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** "Today", "Yesterday", or a short date for older days. */
export function dayLabel(iso: string, now = Date.now()): string {
  const key = dayKey(iso);
  if (key === dayKey(new Date(now).toISOString())) return 'Today';
  if (key === dayKey(new Date(now - 86_400_000).toISOString())) return 'Yesterday';
  const d = new Date(iso);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleDateString(undefined, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

/** "https://acme.test/account/billing?x=1" → "acme.test/account/billing". */
export function shortUrl(value: string): string {
  try {
    const url = new URL(value);
    const path = url.pathname === '/' ? '' : url.pathname;
    return url.host + path;
  } catch {
    return value;
  }
}

/** Only https URLs may load as images: a profile cannot make the console fetch http or data. */
export function safeHttpsUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Sentence-style age: "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", "Jun 2". */
export function ago(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  const diff = Math.max(0, now - then);
  if (diff < MINUTE) return 'just now';
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)} min ago`;
  if (diff < DAY && dayKey(iso) === dayKey(new Date(now).toISOString())) {
    return `${Math.floor(diff / HOUR)} h ago`;
  }
  if (dayKey(iso) === dayKey(new Date(now - DAY).toISOString())) return 'yesterday';
  if (diff < 7 * DAY) return `${Math.ceil(diff / DAY)} days ago`;
  return new Date(then).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** "10:42" today, "Jun 2, 10:42" on another day; with `seconds` for logs. */
export function shortWhen(iso: string, now = Date.now(), seconds = false): string {
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  if (seconds) time.second = '2-digit';
  if (dayKey(iso) === dayKey(new Date(now).toISOString())) {
    return new Date(iso).toLocaleTimeString(undefined, time);
  }
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', ...time });
}

export function milliseconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** A mailto: link only for something shaped like an address (no spaces, brackets or quotes). */
export function mailtoHref(email: string): string | null {
  return /^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+$/.test(email)
    ? `mailto:${email}`
    : null;
}

/** A tel: link made of the digits (and a leading +) only. */
export function telHref(phone: string): string | null {
  const digits = phone.replace(/[\s().-]/g, '');
  return /^\+?\d{3,20}$/.test(digits) ? `tel:${digits}` : null;
}

/** "monthly_spend_eur" → "Monthly spend eur", "lastOrder" → "Last order". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
}
