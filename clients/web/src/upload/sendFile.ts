// One file per request over XMLHttpRequest: fetch() cannot report upload progress, and one file
// per request gives each row its own bar and its own result.
import { csrfHeaders } from '../api/csrf';
import type { UploadResponse } from './uploadQueue';

export function sendFile(file: File, onProgress: (share: number) => void, signal?: AbortSignal): Promise<UploadResponse> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/photos');
    request.withCredentials = true;
    request.responseType = 'json';
    for (const [name, value] of Object.entries(csrfHeaders())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = () => {
      const body = request.response as (UploadResponse & { detail?: string; error?: string }) | null;
      if (body && Array.isArray(body.photos)) return resolve(body);
      reject(new Error(body?.detail ?? body?.error ?? `The server answered ${request.status}`));
    };
    request.onerror = () => reject(new Error('Network error'));
    request.onabort = () => reject(new Error('Cancelled'));
    signal?.addEventListener('abort', () => request.abort());
    const form = new FormData();
    form.append('files', file, file.name);
    request.send(form);
  });
}

/** Runs `work` over items with at most `parallel` in flight. */
export async function inParallel<T>(items: T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, lane));
}
