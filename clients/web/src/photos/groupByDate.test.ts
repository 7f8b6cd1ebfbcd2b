import type { PhotoCard } from '../api/types';
import { dayOf, gridRows } from './groupByDate';

const photo = (id: string, takenAt: string | null): PhotoCard => ({
  id,
  fileName: `${id}.jpg`,
  takenAt,
  location: null,
  thumbnailUrl: `/media/photos/${id}/thumb`,
  width: 100,
  height: 100,
});

describe('grid rows grouped by day', () => {
  it('reads the calendar day as written, with or without a zone', () => {
    expect(dayOf('2021-07-04T23:30:00')).toBe('2021-07-04');
    expect(dayOf('2021-07-04T23:30:00+02:00')).toBe('2021-07-04');
    expect(dayOf(null)).toBeNull();
  });

  it('puts a heading before each day and wraps photos into rows', () => {
    const photos = [
      photo('a', '2021-07-04T10:00:00'),
      photo('b', '2021-07-04T09:00:00'),
      photo('c', '2021-07-04T08:00:00'),
      photo('d', '2021-07-03T10:00:00'),
      photo('e', null),
    ];
    const rows = gridRows(photos, 2, new Date(2021, 0, 1));
    expect(rows.map((row) => (row.kind === 'day' ? `# ${row.count}` : row.photos.map((p) => p.id).join('')))).toEqual([
      '# 3',
      'ab',
      'c',
      '# 1',
      'd',
      '# 1',
      'e',
    ]);
    expect(rows.at(-2)).toMatchObject({ kind: 'day', label: 'No date' });
    expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
  });

  it('never makes rows of zero photos', () => {
    expect(gridRows([photo('a', null)], 0)).toHaveLength(2);
  });
});
