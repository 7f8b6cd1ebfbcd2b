import { useApolloClient } from '@apollo/client';
import { useCallback, useRef, useState, type DragEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button, Section } from '../components/ui';
import { filesFromDrop, filesFromList, type PickedFile } from './collectFiles';
import { inParallel, sendFile } from './sendFile';
import { fail, queueFiles, setProgress, settle, tally, type UploadRow, type UploadState } from './uploadQueue';
import { processedShare, useLibraryStatus } from './libraryStatus';

const parallelUploads = 3;

const stateLabels: Record<UploadState, string> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  added: 'Added',
  duplicate: 'Already in library',
  rejected: 'Rejected',
  failed: 'Failed',
};

function Bar({ share, label, tone = 'bg-sky-600' }: { share: number; label: string; tone?: string }) {
  const percent = Math.round(share * 100);
  return (
    <div role="progressbar" aria-label={label} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} className="h-2 w-full overflow-hidden rounded-full bg-neutral-200">
      <div className={`h-full ${tone} transition-[width]`} style={{ width: `${percent}%` }} />
    </div>
  );
}

function ProcessingProgress() {
  const { status, live } = useLibraryStatus();
  if (!status) return null;
  const left = status.pending + status.processing;
  return (
    <Section title="Face processing" actions={<span className="text-xs text-neutral-500">{live ? 'live' : 'updated every 2 s'}</span>}>
      <div className="space-y-2 rounded-xl bg-white p-4 ring-1 ring-neutral-200">
        <Bar share={processedShare(status)} label="Face processing" tone="bg-emerald-600" />
        <p className="text-sm text-neutral-700" data-testid="processing-summary">
          {left > 0 ? `${left} of ${status.photos} photos still to process` : `All ${status.photos} photos processed`}
          {status.failed > 0 && `, ${status.failed} failed`}. {status.faces} faces found, {status.people} people named,{' '}
          {status.clusters - status.people} groups to name, {status.unknownFaces} unknown faces.
        </p>
        {left === 0 && status.clusters > status.people && (
          <Link className="text-sm font-medium text-sky-700 underline" to="/people">
            Name the groups that were found
          </Link>
        )}
      </div>
    </Section>
  );
}

export function UploadPage() {
  const client = useApolloClient();
  const [rows, setRows] = useState<UploadRow[]>([]);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const upload = useCallback(
    async (picked: PickedFile[]) => {
      if (picked.length === 0) return;
      const queued = queueFiles([], picked);
      setRows((current) => [...current, ...queued]);
      await inParallel(queued, parallelUploads, async (row) => {
        try {
          const response = await sendFile(row.file, (share) => setRows((rs) => setProgress(rs, row.key, share)));
          setRows((rs) => settle(rs, row.key, response));
        } catch (error) {
          setRows((rs) => fail(rs, row.key, error instanceof Error ? error.message : String(error)));
        }
      });
      // New photos change every list; the status counters follow on their own.
      await client.refetchQueries({ include: 'active' });
    },
    [client],
  );

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    await upload(await filesFromDrop(event.dataTransfer));
  };

  const totals = tally(rows);
  const problems = rows.filter((row) => row.state === 'rejected' || row.state === 'failed');

  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Upload</h1>
      <div
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`mb-6 flex flex-col items-center justify-center gap-3 rounded-2xl border-2 border-dashed p-10 text-center transition ${
          dragging ? 'border-sky-500 bg-sky-50' : 'border-neutral-300 bg-white'
        }`}
      >
        <p className="text-lg font-medium">Drop photos or folders here</p>
        <p className="text-sm text-neutral-500">JPEG, PNG, WebP and HEIC, as many as you like.</p>
        <div className="flex flex-wrap justify-center gap-2">
          <Button tone="primary" onClick={() => fileInput.current?.click()}>
            Choose photos
          </Button>
          <Button onClick={() => folderInput.current?.click()}>Choose a folder</Button>
        </div>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept="image/*,.heic,.heif"
          className="hidden"
          aria-label="Photos to upload"
          onChange={(event) => {
            void upload(filesFromList(event.target.files ?? []));
            event.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          multiple
          className="hidden"
          aria-label="Folder to upload"
          {...{ webkitdirectory: '' }}
          onChange={(event) => {
            void upload(filesFromList(event.target.files ?? []));
            event.target.value = '';
          }}
        />
      </div>

      {rows.length > 0 && (
        <Section title="Files" count={totals.total}>
          <div className="mb-3 space-y-1">
            <Bar share={totals.share} label="Upload" />
            <p className="text-sm text-neutral-700" data-testid="upload-summary">
              {totals.waiting > 0 ? `Uploading… ${totals.total - totals.waiting} of ${totals.total} done. ` : 'Upload finished. '}
              {totals.added} added, {totals.duplicate} already in the library, {totals.rejected} rejected.
            </p>
          </div>
          {problems.length > 0 && (
            <ul className="mb-3 space-y-1 rounded-xl bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200" aria-label="Rejected files">
              {problems.map((row) => (
                <li key={row.key}>
                  <span className="font-medium">{row.path}</span>: {row.reason}
                </li>
              ))}
            </ul>
          )}
          <ul className="max-h-96 divide-y divide-neutral-100 overflow-auto rounded-xl bg-white ring-1 ring-neutral-200" aria-label="Uploaded files">
            {rows.map((row) => (
              <li key={row.key} className="grid grid-cols-[1fr_auto] items-center gap-x-3 gap-y-1 px-3 py-2 text-sm sm:grid-cols-[1fr_10rem_9rem]">
                <span className="truncate" title={row.path}>
                  {row.path}
                </span>
                <span className="hidden sm:block">
                  <Bar share={row.state === 'queued' ? 0 : row.progress} label={`Upload of ${row.path}`} />
                </span>
                <span className={row.state === 'rejected' || row.state === 'failed' ? 'text-red-700' : 'text-neutral-600'}>
                  {stateLabels[row.state]}
                </span>
              </li>
            ))}
          </ul>
        </Section>
      )}
      <ProcessingProgress />
    </div>
  );
}
