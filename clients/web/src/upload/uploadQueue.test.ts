import { fail, queueFiles, setProgress, settle, tally } from './uploadQueue';

const picked = (name: string, bytes: number) => ({ file: new File([new Uint8Array(bytes)], name), path: `trip/${name}` });

describe('upload rows', () => {
  it('follows each file from waiting to its result, with reasons for rejects', () => {
    let rows = queueFiles([], [picked('a.jpg', 100), picked('b.jpg', 300), picked('notes.txt', 100), picked('c.jpg', 0)]);
    const [a, b, notes, c] = rows.map((r) => r.key) as [string, string, string, string];
    expect(tally(rows)).toMatchObject({ total: 4, waiting: 4, share: 0 });

    rows = setProgress(rows, b, 0.5);
    expect(tally(rows).share).toBeCloseTo(150 / 500);

    rows = settle(rows, a, { photos: [{ id: 'p1', fileName: 'a.jpg', duplicate: false }], errors: [] });
    rows = settle(rows, b, { photos: [{ id: 'p0', fileName: 'b.jpg', duplicate: true }], errors: [] });
    rows = settle(rows, notes, { photos: [], errors: [{ fileName: 'notes.txt', error: 'not an image (text/plain)' }] });
    rows = fail(rows, c, 'Network error');

    expect(rows.map((r) => [r.path, r.state, r.reason, r.photoId])).toEqual([
      ['trip/a.jpg', 'added', null, 'p1'],
      ['trip/b.jpg', 'duplicate', null, 'p0'],
      ['trip/notes.txt', 'rejected', 'not an image (text/plain)', null],
      ['trip/c.jpg', 'failed', 'Network error', null],
    ]);
    expect(tally(rows)).toMatchObject({ total: 4, waiting: 0, added: 1, duplicate: 1, rejected: 2 });
  });

  it('keeps the rows of an earlier drop when more files come', () => {
    const first = queueFiles([], [picked('a.jpg', 1)]);
    const both = queueFiles(first, [picked('b.jpg', 1)]);
    expect(both.map((r) => r.path)).toEqual(['trip/a.jpg', 'trip/b.jpg']);
    expect(new Set(both.map((r) => r.key)).size).toBe(2);
  });
});
