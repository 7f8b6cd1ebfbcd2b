// The grid's rows: a heading per day, then that day's photos in rows of `columns`. Photos come
// newest first from the server; a photo without a date goes under "No date".
import type { PhotoCard } from '../api/types';

export type GridRow =
  | { kind: 'day'; key: string; label: string; count: number }
  | { kind: 'photos'; key: string; photos: PhotoCard[] };

/** The local calendar day of an ISO timestamp, as yyyy-mm-dd (naive EXIF times stay as written). */
export function dayOf(takenAt: string | null): string | null {
  if (!takenAt) return null;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(takenAt);
  return match ? match[1]! : null;
}

export function dayLabel(day: string | null, today = new Date()): string {
  if (!day) return 'No date';
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const value = new Date(year, month - 1, date);
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'long' };
  if (year !== today.getFullYear()) options.year = 'numeric';
  return value.toLocaleDateString(undefined, options);
}

export function gridRows(photos: PhotoCard[], columns: number, today = new Date()): GridRow[] {
  const perRow = Math.max(1, Math.floor(columns));
  const days: { day: string | null; photos: PhotoCard[] }[] = [];
  for (const photo of photos) {
    const day = dayOf(photo.takenAt);
    const last = days.at(-1);
    if (last && last.day === day) last.photos.push(photo);
    else days.push({ day, photos: [photo] });
  }
  const rows: GridRow[] = [];
  days.forEach(({ day, photos: ofDay }, index) => {
    // The same day can come back later in the list (e.g. "No date" between dated photos).
    const key = `${day ?? 'none'}#${index}`;
    rows.push({ kind: 'day', key, label: dayLabel(day, today), count: ofDay.length });
    for (let start = 0; start < ofDay.length; start += perRow) {
      rows.push({ kind: 'photos', key: `${key}/${start}`, photos: ofDay.slice(start, start + perRow) });
    }
  });
  return rows;
}
