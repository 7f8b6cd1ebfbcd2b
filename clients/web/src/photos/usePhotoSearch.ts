import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { paramsFromSearch, searchFromParams, type PhotoSearch } from '../lib/filters';

/** The photo search held in the URL, with a setter that replaces the URL's query. */
export function usePhotoSearch() {
  const [params, setParams] = useSearchParams();
  const search = useMemo(() => searchFromParams(params), [params]);
  const setSearch = useCallback(
    (next: PhotoSearch) => setParams(paramsFromSearch(next), { replace: false }),
    [setParams],
  );
  return [search, setSearch] as const;
}
