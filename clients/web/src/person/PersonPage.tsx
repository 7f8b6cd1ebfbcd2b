// The album of one person (or unnamed group): their photos, and their faces to correct. Faces
// can be moved to someone else, split off as a new person, or marked "not this person".
import { useMutation, useQuery } from '@apollo/client';
import { useCallback, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { ClusterCard, Connection, PhotoCard } from '../api/types';
import { FaceCrop } from '../components/FaceCrop';
import { FaceGrid, type GridFace } from '../components/FaceGrid';
import { NameInput } from '../components/NameInput';
import { Button, Empty, Notice, Spinner, errorMessage, personLabel, plural } from '../components/ui';
import { emptySelection, keepOnly } from '../lib/selection';
import { useDeleteCluster, useFaceCorrections, useHideCluster, useNameCluster } from '../people/mutations';
import { PhotoGrid } from '../photos/PhotoGrid';
import documents from './person.graphql';

type Person = ClusterCard & { faces: Connection<GridFace> };

const facesPerPage = 200;

function PersonPhotos({ person }: { person: Person }) {
  const { data, loading, fetchMore } = useQuery<{ cluster: { photos: Connection<PhotoCard> } | null }>(documents.ClusterPhotos, {
    variables: { id: person.id, first: 100 },
  });
  const connection = data?.cluster?.photos;
  const photos = useMemo(() => connection?.edges.map((e) => e.node) ?? [], [connection]);
  const hasMore = connection?.pageInfo.hasNextPage ?? false;
  const loadMore = useCallback(() => {
    if (connection?.pageInfo.hasNextPage) void fetchMore({ variables: { after: connection.pageInfo.endCursor } });
  }, [connection, fetchMore]);
  if (loading && photos.length === 0) return <Spinner label="Loading photos" />;
  if (photos.length === 0) return <Empty title="No photos" />;
  // Named people step through their photos by name; unnamed groups just open the photo.
  const query = person.name ? `?person=${encodeURIComponent(person.name)}` : '';
  return <PhotoGrid photos={photos} hasMore={hasMore} onNeedMore={loadMore} linkTo={(photo) => `/photos/${photo.id}${query}`} />;
}

function PersonFaces({ person, onMore }: { person: Person; onMore: () => void }) {
  const faces = person.faces.edges.map((e) => e.node);
  const [selection, setSelection] = useState(emptySelection);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const corrections = useFaceCorrections(person.id);
  const [setCover] = useMutation(documents.SetCoverFace);
  const shown = keepOnly(selection, faces.map((f) => f.id));
  const ids = [...shown.ids];
  const who = personLabel(person.name);

  const act = async (work: () => Promise<string>) => {
    setProblem(null);
    setNotice(null);
    try {
      setNotice(await work());
      setSelection(emptySelection);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <div>
      {ids.length > 0 && (
        <div role="toolbar" aria-label="Selected faces" className="sticky top-14 z-10 mb-3 flex flex-wrap items-center gap-2 rounded-xl bg-neutral-900 px-3 py-2 text-sm text-white">
          <span>{ids.length} selected</span>
          <div className="w-48 text-neutral-900">
            <NameInput
              label="Move selected faces to"
              placeholder="Move to person…"
              existingOnly
              excludeId={person.id}
              onSubmit={(_, target) => act(async () => {
                if (!target) return '';
                await corrections.move(ids, target);
                return `Moved ${ids.length} ${ids.length === 1 ? 'face' : 'faces'} to ${target.name}.`;
              })}
            />
          </div>
          <Button disabled={corrections.busy} onClick={() => act(async () => {
            const created = await corrections.split(ids);
            return `Split off as a new group of ${plural(created.faceCount ?? ids.length, 'face')}.`;
          })}>
            Split off
          </Button>
          <Button tone="danger" disabled={corrections.busy} onClick={() => act(async () => {
            await corrections.reject(ids);
            return `${ids.length} ${ids.length === 1 ? 'face is' : 'faces are'} no longer ${who}.`;
          })}>
            Not {who}
          </Button>
          {ids.length === 1 && (
            <Button onClick={() => act(async () => {
              await setCover({ variables: { clusterId: person.id, faceId: ids[0] } });
              return 'Cover updated.';
            })}>
              Use as cover
            </Button>
          )}
          <Button tone="ghost" className="text-white hover:bg-white/10" onClick={() => setSelection(emptySelection)}>
            Clear
          </Button>
        </div>
      )}
      {notice && <div className="mb-2"><Notice>{notice}</Notice></div>}
      {problem && <div className="mb-2"><Notice tone="error">{problem}</Notice></div>}
      <p className="mb-2 text-sm text-neutral-500">Select faces that are not {who} (shift-click for a run, Ctrl+A for all).</p>
      <FaceGrid faces={faces} selection={shown} onSelection={setSelection} label={`Faces of ${who}`} />
      {person.faces.pageInfo.hasNextPage && (
        <Button className="mt-3" onClick={onMore}>
          Show more faces
        </Button>
      )}
    </div>
  );
}

function Header({ person }: { person: Person }) {
  const navigate = useNavigate();
  const [renaming, setRenaming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [name] = useNameCluster();
  const [hide] = useHideCluster();
  const [remove] = useDeleteCluster();
  const who = personLabel(person.name);

  const rename = async (typed: string) => {
    setProblem(null);
    try {
      const result = await name(person.id, typed);
      setRenaming(false);
      // Named like someone who exists: the two became one person, whose page this now is.
      if (result.id && result.id !== person.id) navigate(`/people/${result.id}`, { replace: true });
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <header className="mb-4 flex flex-wrap items-center gap-4">
      <span className="h-20 w-20 shrink-0"><FaceCrop url={person.coverFace?.cropUrl} alt={who} /></span>
      <div className="min-w-0 flex-1">
        {renaming ? (
          <div className="max-w-xs">
            <NameInput label="New name" initial={person.name ?? ''} autoFocus excludeId={person.id} onSubmit={rename} onCancel={() => setRenaming(false)} />
          </div>
        ) : (
          <h1 className="truncate text-2xl font-semibold">{person.name ?? 'Unnamed group'}</h1>
        )}
        <p className="text-sm text-neutral-500">
          {plural(person.photoCount, 'photo')} · {plural(person.faceCount, 'face')}{person.hidden && ' · hidden'}
        </p>
        {problem && <p role="alert" className="text-sm text-red-700">{problem}</p>}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => setRenaming(!renaming)}>{person.name ? 'Rename' : 'Name'}</Button>
        {person.name && <Link className="rounded-lg px-3 py-1.5 text-sm font-medium ring-1 ring-neutral-300 hover:bg-neutral-100" to={`/photos?person=${encodeURIComponent(person.name)}`}>Search photos</Link>}
        <Button onClick={() => hide(person.id, !person.hidden).catch((e: unknown) => setProblem(errorMessage(e)))}>{person.hidden ? 'Unhide' : 'Hide'}</Button>
        <Button
          tone="danger"
          onClick={async () => {
            if (!window.confirm(`Delete ${who}? The photos stay; the faces become unknown.`)) return;
            try {
              await remove(person.id);
              navigate('/people');
            } catch (error) {
              setProblem(errorMessage(error));
            }
          }}
        >
          Delete
        </Button>
      </div>
    </header>
  );
}

export function PersonPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'photos' ? 'photos' : 'faces';
  const { data, loading, error, fetchMore } = useQuery<{ cluster: Person | null }>(documents.Person, {
    variables: { id, first: facesPerPage },
  });
  const person = data?.cluster;
  if (loading && !person?.faces) return <Spinner label="Loading person" />;
  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!person || !person.faces) return <Notice tone="error">This person or group does not exist (any more).</Notice>;

  const tabClass = (active: boolean) =>
    `rounded-lg px-3 py-1.5 text-sm font-medium ${active ? 'bg-neutral-900 text-white' : 'text-neutral-700 hover:bg-neutral-200/70'}`;
  return (
    <div>
      <Link to="/people" className="mb-2 inline-block rounded-lg px-2 py-1 text-sm hover:bg-neutral-200/70">
        ← People
      </Link>
      <Header person={person} />
      <div role="tablist" className="mb-3 flex gap-1">
        <button type="button" role="tab" aria-selected={tab === 'faces'} className={tabClass(tab === 'faces')} onClick={() => setParams({}, { replace: true })}>
          Faces
        </button>
        <button type="button" role="tab" aria-selected={tab === 'photos'} className={tabClass(tab === 'photos')} onClick={() => setParams({ tab: 'photos' }, { replace: true })}>
          Photos
        </button>
      </div>
      {tab === 'faces' ? (
        <PersonFaces person={person} onMore={() => void fetchMore({ variables: { after: person.faces.pageInfo.endCursor } })} />
      ) : (
        <PersonPhotos person={person} />
      )}
    </div>
  );
}
