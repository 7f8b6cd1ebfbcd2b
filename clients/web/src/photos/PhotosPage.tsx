import { useMemo } from 'react';
import { useLocation } from 'react-router-dom';
import { Empty, Notice, Spinner } from '../components/ui';
import { isEmptySearch, photoFilter } from '../lib/filters';
import { FilterBar } from './FilterBar';
import { PhotoGrid } from './PhotoGrid';
import { usePhotos } from './usePhotos';
import { usePhotoSearch } from './usePhotoSearch';
import { useLibraryChanges } from '../upload/useLibraryChanges';

export function PhotosPage() {
  const [search, setSearch] = usePhotoSearch();
  const filter = useMemo(() => photoFilter(search), [search]);
  const { photos, total, loading, error, hasMore, loadMore, refetch } = usePhotos(filter);
  // Thumbnails, dates and faces arrive as photos are processed.
  useLibraryChanges((s) => [s.photos, s.done, s.failed, s.people], () => void refetch());
  const { search: query } = useLocation();

  return (
    <div>
      <div className="mb-3 flex items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Photos</h1>
        {total !== null && (
          <span className="text-sm text-neutral-500" data-testid="photo-count">
            {total} {total === 1 ? 'photo' : 'photos'}
          </span>
        )}
      </div>
      <FilterBar search={search} onChange={setSearch} />
      {error && <Notice tone="error">{error.message}</Notice>}
      {loading && photos.length === 0 && <Spinner label="Loading photos" />}
      {!loading && !error && photos.length === 0 && (
        <Empty title={isEmptySearch(search) ? 'No photos yet' : 'No photos match these filters'}>
          {isEmptySearch(search) ? 'Upload some to get started.' : 'Try fewer filters.'}
        </Empty>
      )}
      <PhotoGrid photos={photos} hasMore={hasMore} onNeedMore={loadMore} linkTo={(photo) => `/photos/${photo.id}${query}`} />
    </div>
  );
}
