const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** "25 Nov 2026, 09:41" in the CSM's locale and time zone. */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatTime(iso: string): string {
  return time.format(new Date(iso));
}

export function kindLabel(kind: 'sso' | 'hris'): string {
  return kind === 'sso' ? 'SSO' : 'HRIS';
}
