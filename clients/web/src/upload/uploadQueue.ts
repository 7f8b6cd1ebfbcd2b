// The upload list: one row per file with its progress and result. Pure, so the page and the
// tests share it.
import type { PickedFile } from './collectFiles';

export type UploadState = 'queued' | 'uploading' | 'added' | 'duplicate' | 'rejected' | 'failed';

export interface UploadRow {
  key: string;
  path: string;
  size: number;
  file: File;
  state: UploadState;
  /** 0..1 of the bytes sent. */
  progress: number;
  photoId: string | null;
  reason: string | null;
}

/** What POST /api/photos answers. */
export interface UploadResponse {
  photos: { id: string; fileName: string; duplicate: boolean }[];
  errors: { fileName: string; error: string }[];
}

let counter = 0;

export function queueFiles(rows: UploadRow[], picked: PickedFile[]): UploadRow[] {
  const added = picked.map(({ file, path }) => ({
    key: `${++counter}`,
    path,
    size: file.size,
    file,
    state: 'queued' as const,
    progress: 0,
    photoId: null,
    reason: null,
  }));
  return [...rows, ...added];
}

export function setProgress(rows: UploadRow[], key: string, progress: number): UploadRow[] {
  return rows.map((row) => (row.key === key ? { ...row, state: 'uploading', progress } : row));
}

/** Applies the server's answer for the one file sent in that request. */
export function settle(rows: UploadRow[], key: string, response: UploadResponse): UploadRow[] {
  return rows.map((row) => {
    if (row.key !== key) return row;
    const photo = response.photos[0];
    if (photo) return { ...row, progress: 1, state: photo.duplicate ? 'duplicate' : 'added', photoId: photo.id };
    const error = response.errors[0];
    return { ...row, progress: 1, state: 'rejected', reason: error?.error ?? 'The server did not accept this file' };
  });
}

export function fail(rows: UploadRow[], key: string, reason: string): UploadRow[] {
  return rows.map((row) => (row.key === key ? { ...row, state: 'failed', reason } : row));
}

export function tally(rows: UploadRow[]) {
  const count = (state: UploadState) => rows.filter((row) => row.state === state).length;
  const bytes = rows.reduce((sum, row) => sum + row.size, 0);
  const sent = rows.reduce((sum, row) => sum + row.size * (row.state === 'queued' ? 0 : row.progress), 0);
  return {
    total: rows.length,
    waiting: count('queued') + count('uploading'),
    added: count('added'),
    duplicate: count('duplicate'),
    rejected: count('rejected') + count('failed'),
    share: bytes === 0 ? 0 : sent / bytes,
  };
}
