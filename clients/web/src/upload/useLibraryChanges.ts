import { useEffect, useRef } from 'react';
import type { LibraryStatus } from '../api/types';
import { useLibraryStatus } from './libraryStatus';

/**
 * Calls `refresh` when the chosen library counters change (photos processed, groups formed), so
 * open pages fill in while processing runs, without reloading.
 */
export function useLibraryChanges(pick: (status: LibraryStatus) => number[], refresh: () => void): void {
  const { status } = useLibraryStatus();
  const key = status ? pick(status).join(',') : null;
  const last = useRef(key);
  const latestRefresh = useRef(refresh);
  latestRefresh.current = refresh;
  useEffect(() => {
    if (key === null || key === last.current) return;
    const first = last.current === null;
    last.current = key;
    if (!first) latestRefresh.current();
  }, [key]);
}
