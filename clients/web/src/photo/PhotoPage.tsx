// One photo, large, with its faces boxed and named. Click a face (or Tab to it) to name it or
// give it to someone else; ← and → step through the search the photo was opened from.
import { useMutation, useQuery } from '@apollo/client';
import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import type { PhotoDetail, PhotoFace } from '../api/types';
import { NameInput, type PersonChoice } from '../components/NameInput';
import { Button, Notice, Spinner, errorMessage, personLabel } from '../components/ui';
import { photoFilter } from '../lib/filters';
import { useFaceCorrections, useNameCluster } from '../people/mutations';
import { usePhotos } from '../photos/usePhotos';
import { usePhotoSearch } from '../photos/usePhotoSearch';
import albumDocuments from '../albums/albums.graphql';
import documents from './photo.graphql';

function FaceBox({ face, photo, selected, onSelect }: { face: PhotoFace; photo: PhotoDetail; selected: boolean; onSelect: () => void }) {
  const width = photo.width ?? 1;
  const height = photo.height ?? 1;
  const name = face.cluster?.name;
  return (
    <button
      type="button"
      aria-label={`Face: ${name ?? 'unknown'}`}
      aria-pressed={selected}
      onClick={onSelect}
      className={`group absolute rounded-md border-2 ${selected ? 'border-sky-400 ring-2 ring-sky-400/50' : 'border-white/80 hover:border-sky-300'}`}
      style={{
        left: `${(face.box.x / width) * 100}%`,
        top: `${(face.box.y / height) * 100}%`,
        width: `${(face.box.width / width) * 100}%`,
        height: `${(face.box.height / height) * 100}%`,
      }}
    >
      <span className="absolute top-full left-1/2 mt-1 -translate-x-1/2 rounded bg-black/70 px-1.5 py-0.5 text-xs whitespace-nowrap text-white">
        {name ?? (face.cluster ? 'Unnamed' : 'Unknown')}
      </span>
    </button>
  );
}

function FacePanel({ face, onDone }: { face: PhotoFace; onDone: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [name] = useNameCluster();
  const corrections = useFaceCorrections(face.cluster?.id ?? null);
  const current = face.cluster?.name ?? null;

  const choose = async (typed: string, existing: PersonChoice | null) => {
    setProblem(null);
    try {
      if (existing) {
        if (existing.id !== face.cluster?.id) await corrections.move([face.id], existing);
      } else if (face.cluster && !face.cluster.name) {
        // An unnamed group: naming one face names the whole group it belongs to.
        await name(face.cluster.id, typed);
      } else {
        // An unknown face, or someone else than the named person: a person of its own.
        await corrections.create([face.id], typed);
      }
      onDone();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <div className="space-y-2 rounded-xl bg-white p-3 ring-1 ring-neutral-200" aria-label="Selected face">
      <p className="text-sm text-neutral-700">
        {current ? (
          <>
            This is <Link className="font-medium text-sky-700 underline" to={`/people/${face.cluster!.id}`}>{current}</Link>. Someone else?
          </>
        ) : (
          'Who is this?'
        )}
      </p>
      <NameInput key={face.id} label="Name this face" autoFocus excludeId={face.cluster?.id} onSubmit={choose} onCancel={onDone} />
      {face.cluster && (
        <Button
          tone="danger"
          disabled={corrections.busy}
          onClick={async () => {
            try {
              await corrections.reject([face.id]);
              onDone();
            } catch (error) {
              setProblem(errorMessage(error));
            }
          }}
        >
          Not {personLabel(current)}
        </Button>
      )}
      {problem && <Notice tone="error">{problem}</Notice>}
    </div>
  );
}

function Labels({ photo }: { photo: PhotoDetail }) {
  const [draft, setDraft] = useState('');
  const [add] = useMutation(documents.AddLabels);
  const [remove] = useMutation(documents.RemoveLabels);
  return (
    <div>
      <h2 className="mb-1 text-sm font-semibold text-neutral-700">Labels</h2>
      <ul className="mb-2 flex flex-wrap gap-1.5" aria-label="Labels">
        {photo.labels.map((label) => (
          <li key={label} className="inline-flex items-center gap-1 rounded-full bg-neutral-100 py-0.5 pr-1 pl-2.5 text-sm">
            <Link to={`/photos?label=${encodeURIComponent(label)}`}>#{label}</Link>
            <button type="button" aria-label={`Remove label ${label}`} className="rounded-full px-1.5 hover:bg-neutral-200" onClick={() => remove({ variables: { photoIds: [photo.id], labels: [label] } })}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const label = draft.trim();
          if (label) void add({ variables: { photoIds: [photo.id], labels: [label] } }).then(() => setDraft(''));
        }}
      >
        <input aria-label="Add a label" placeholder="Add a label…" value={draft} onChange={(e) => setDraft(e.target.value)} className="w-full rounded-lg border border-neutral-300 px-2.5 py-1.5 text-sm" />
      </form>
    </div>
  );
}

function AddToAlbum({ photo }: { photo: PhotoDetail }) {
  const { data } = useQuery<{ albums: { edges: { node: { id: string; name: string } }[] } }>(albumDocuments.Albums, {
    variables: { first: 100 },
    errorPolicy: 'all',
  });
  const [add, { data: added, error }] = useMutation<{ addPhotosToAlbum: { __typename: string; name?: string; message?: string } }>(
    albumDocuments.AddPhotosToAlbum,
  );
  const albums = data?.albums?.edges.map((e) => e.node) ?? [];
  if (albums.length === 0) return null;
  return (
    <div>
      <select
        aria-label="Add to album"
        className="w-full rounded-lg border border-neutral-300 bg-white px-2 py-1.5 text-sm"
        value=""
        onChange={(event) => event.target.value && void add({ variables: { id: event.target.value, photoIds: [photo.id] } })}
      >
        <option value="">Add to album…</option>
        {albums.map((album) => (
          <option key={album.id} value={album.id}>
            {album.name}
          </option>
        ))}
      </select>
      {added && <p className="mt-1 text-xs text-neutral-600">{added.addPhotosToAlbum.__typename === 'Album' ? 'Added.' : added.addPhotosToAlbum.message}</p>}
      {error && <p role="alert" className="mt-1 text-xs text-red-700">{error.message}</p>}
    </div>
  );
}

function Details({ photo }: { photo: PhotoDetail }) {
  const rows: [string, string | null][] = [
    ['Taken', photo.takenAt ? new Date(photo.takenAt).toLocaleString() : null],
    ['Place', photo.location],
    ['Camera', photo.camera],
    ['Size', photo.width && photo.height ? `${photo.width} × ${photo.height}` : null],
    ['File', photo.fileName],
  ];
  return (
    <dl className="grid grid-cols-[5rem_1fr] gap-x-2 gap-y-1 text-sm" aria-label="Photo details">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-neutral-500">{term}</dt>
          <dd className="min-w-0 break-all">{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

export function PhotoPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { search: query } = useLocation();
  const [search] = usePhotoSearch();
  const filter = useMemo(() => photoFilter(search), [search]);
  const { data, loading, error } = useQuery<{ photo: PhotoDetail | null }>(documents.Photo, { variables: { id } });
  const sequence = usePhotos(filter);
  const [selectedFace, setSelectedFace] = useState<string | null>(null);

  const index = sequence.photos.findIndex((p) => p.id === id);
  const previous = index > 0 ? sequence.photos[index - 1] : undefined;
  const next = index >= 0 ? sequence.photos[index + 1] : undefined;
  const { hasMore, loadMore } = sequence;
  useEffect(() => {
    if (index >= 0 && !next && hasMore) void loadMore();
  }, [index, next, hasMore, loadMore]);
  useEffect(() => setSelectedFace(null), [id]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      if (event.key === 'ArrowLeft' && previous) navigate(`/photos/${previous.id}${query}`);
      else if (event.key === 'ArrowRight' && next) navigate(`/photos/${next.id}${query}`);
      else if (event.key === 'Escape') navigate(`/photos${query}`);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [previous, next, navigate, query]);

  if (loading && !data?.photo) return <Spinner label="Loading photo" />;
  if (error) return <Notice tone="error">{error.message}</Notice>;
  const photo = data?.photo;
  if (!photo || !photo.faces) return <Notice tone="error">This photo does not exist (any more).</Notice>;
  const face = photo.faces.find((f) => f.id === selectedFace) ?? null;

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
      <div>
        <div className="mb-2 flex items-center gap-2">
          <Link to={`/photos${query}`} className="rounded-lg px-2 py-1 text-sm hover:bg-neutral-200/70">
            ← All photos
          </Link>
          <span className="ml-auto" />
          <Button tone="ghost" aria-label="Previous photo" disabled={!previous} onClick={() => previous && navigate(`/photos/${previous.id}${query}`)}>
            ‹ Previous
          </Button>
          <Button tone="ghost" aria-label="Next photo" disabled={!next} onClick={() => next && navigate(`/photos/${next.id}${query}`)}>
            Next ›
          </Button>
        </div>
        <div className="flex justify-center rounded-xl bg-neutral-900 p-2">
          {/* As large as fits 75% of the screen's height, small photos included, never distorted;
              the face boxes are placed in percentages of this box. */}
          <div
            className="relative"
            style={photo.width && photo.height ? { width: `min(100%, calc(75vh * ${photo.width / photo.height}))` } : undefined}
          >
            <img
              src={photo.previewUrl ?? photo.originalUrl}
              alt={photo.fileName}
              width={photo.width ?? undefined}
              height={photo.height ?? undefined}
              className={photo.width && photo.height ? 'block h-auto w-full' : 'block h-auto max-h-[75vh] max-w-full'}
            />
            {photo.faces.map((f) => (
              <FaceBox key={f.id} face={f} photo={photo} selected={f.id === selectedFace} onSelect={() => setSelectedFace(f.id === selectedFace ? null : f.id)} />
            ))}
          </div>
        </div>
      </div>
      <aside className="space-y-4">
        {face && <FacePanel face={face} onDone={() => setSelectedFace(null)} />}
        <div>
          <h2 className="mb-1 text-sm font-semibold text-neutral-700">People</h2>
          {photo.status === 'FAILED' ? (
            <p role="alert" className="text-sm text-red-700">Processing failed: {photo.error ?? 'unknown error'}</p>
          ) : photo.status !== 'DONE' ? (
            <p className="text-sm text-neutral-500">Looking for faces…</p>
          ) : photo.faces.length === 0 ? (
            <p className="text-sm text-neutral-500">No faces found.</p>
          ) : (
            <ul className="flex flex-wrap gap-1.5" aria-label="People in this photo">
              {photo.faces.map((f) => (
                <li key={f.id}>
                  <button
                    type="button"
                    onClick={() => setSelectedFace(f.id)}
                    className={`rounded-full px-2.5 py-0.5 text-sm ${f.cluster?.name ? 'bg-sky-100 text-sky-900' : 'bg-neutral-100 text-neutral-600'}`}
                  >
                    {f.cluster?.name ?? (f.cluster ? 'Unnamed' : 'Unknown')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <Details photo={photo} />
        <Labels photo={photo} />
        <AddToAlbum photo={photo} />
        <a className="inline-block text-sm text-sky-700 underline" href={photo.originalUrl} download={photo.fileName}>
          Download original
        </a>
      </aside>
    </div>
  );
}
