// Albums by person come from the people themselves; albums a person makes are listed after them.
import { useMutation, useQuery } from '@apollo/client';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { ClusterCard, Connection, PhotoCard } from '../api/types';
import { FaceCrop } from '../components/FaceCrop';
import { Button, Empty, Notice, Section, Spinner, errorMessage, plural } from '../components/ui';
import peopleDocuments from '../people/people.graphql';
import { usePagedList } from '../people/usePagedList';
import { PhotoGrid } from '../photos/PhotoGrid';
import documents from './albums.graphql';

interface AlbumCard {
  id: string;
  name: string;
  photoCount: number;
  coverPhoto: { id: string; thumbnailUrl: string | null } | null;
}

function CreateAlbum() {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [create, { loading }] = useMutation<{ createAlbum: { __typename: string; message?: string } }>(documents.CreateAlbum, {
    refetchQueries: ['Albums'],
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const { data } = await create({ variables: { name: name.trim() } });
      if (data?.createAlbum.__typename !== 'Album') throw new Error(data?.createAlbum.message ?? 'Could not create the album');
      setName('');
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2">
      <input aria-label="New album name" placeholder="New album…" value={name} onChange={(e) => setName(e.target.value)} className="rounded-lg border border-neutral-300 px-2.5 py-1.5 text-sm" />
      <Button type="submit" tone="primary" disabled={loading || !name.trim()}>
        Create
      </Button>
      {problem && <span role="alert" className="text-sm text-red-700">{problem}</span>}
    </form>
  );
}

export function AlbumsPage() {
  const people = usePagedList<ClusterCard>(peopleDocuments.Clusters, 'clusters', { filter: { named: true, hidden: false }, first: 100 });
  const { data, loading, error } = useQuery<{ albums: Connection<AlbumCard> }>(documents.Albums, { variables: { first: 100 }, errorPolicy: 'all' });
  const albums = data?.albums?.edges.map((e) => e.node) ?? [];
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Albums</h1>
      <Section title="My albums" count={albums.length} actions={<CreateAlbum />}>
        {loading && albums.length === 0 && <Spinner />}
        {error && <Notice tone="error">{error.message}</Notice>}
        {!loading && albums.length === 0 && <Empty title="No albums yet">Create one, then add photos from the photo view.</Empty>}
        <ul className="grid grid-cols-[repeat(auto-fill,minmax(10rem,1fr))] gap-3">
          {albums.map((album) => (
            <li key={album.id}>
              <Link to={`/albums/${album.id}`} className="block rounded-xl p-1 hover:bg-white focus-visible:outline-3 focus-visible:outline-sky-500">
                <div className="aspect-square overflow-hidden rounded-lg bg-neutral-200">
                  {album.coverPhoto?.thumbnailUrl && <img src={album.coverPhoto.thumbnailUrl} alt="" className="h-full w-full object-cover" />}
                </div>
                <p className="mt-1 truncate text-sm font-medium">{album.name}</p>
                <p className="text-xs text-neutral-500">{plural(album.photoCount, 'photo')}</p>
              </Link>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Albums by person" count={people.total}>
        {people.nodes.length === 0 ? (
          <Empty title="Name people to get their albums" />
        ) : (
          <ul className="grid grid-cols-[repeat(auto-fill,minmax(8rem,1fr))] gap-3">
            {people.nodes.map((person) => (
              <li key={person.id}>
                <Link to={`/people/${person.id}?tab=photos`} className="flex flex-col items-center gap-1 rounded-xl p-2 hover:bg-white">
                  <span className="aspect-square w-full max-w-28"><FaceCrop url={person.coverFace?.cropUrl} alt={person.name ?? ''} /></span>
                  <span className="truncate text-sm font-medium">{person.name}</span>
                  <span className="text-xs text-neutral-500">{plural(person.photoCount, 'photo')}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

export function AlbumPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | null>(null);
  const { data, loading, error, fetchMore } = useQuery<{ album: (AlbumCard & { photos: Connection<PhotoCard> }) | null }>(documents.Album, {
    variables: { id, first: 100 },
  });
  const [remove] = useMutation(documents.DeleteAlbum, { refetchQueries: ['Albums'] });
  const album = data?.album;
  if (loading && !album) return <Spinner />;
  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!album) return <Notice tone="error">This album does not exist (any more).</Notice>;
  const photos = album.photos.edges.map((e) => e.node);
  return (
    <div>
      <Link to="/albums" className="mb-2 inline-block rounded-lg px-2 py-1 text-sm hover:bg-neutral-200/70">← Albums</Link>
      <div className="mb-4 flex items-center gap-3">
        <h1 className="text-2xl font-semibold">{album.name}</h1>
        <span className="text-sm text-neutral-500">{plural(album.photoCount, 'photo')}</span>
        <Button
          tone="danger"
          className="ml-auto"
          onClick={async () => {
            if (!window.confirm(`Delete the album ${album.name}? The photos stay in the library.`)) return;
            try {
              await remove({ variables: { id: album.id } });
              navigate('/albums');
            } catch (e) {
              setProblem(errorMessage(e));
            }
          }}
        >
          Delete album
        </Button>
      </div>
      {problem && <Notice tone="error">{problem}</Notice>}
      {photos.length === 0 && <Empty title="This album is empty">Open a photo and add it here.</Empty>}
      <PhotoGrid
        photos={photos}
        hasMore={album.photos.pageInfo.hasNextPage}
        onNeedMore={() => void fetchMore({ variables: { after: album.photos.pageInfo.endCursor } })}
        linkTo={(photo) => `/photos/${photo.id}`}
      />
    </div>
  );
}

