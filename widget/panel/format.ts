/** "14:05" today, "Mar 3, 14:05" otherwise, in the visitor's locale. */
export function formatTime(iso: string, locale: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  try {
    return date.toLocaleString(locale, {
      ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
      hour: 'numeric',
      minute: '2-digit',
    });
  } catch {
    return date.toLocaleTimeString();
  }
}

export function initials(name: string | null): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  return (
    parts
      .map((p) => p[0])
      .join('')
      .slice(0, 2) || '?'
  ).toUpperCase();
}
