// Library counters, pushed by the `libraryStatus` subscription. Until the first push arrives (or
// when the websocket fails) the same counters are polled every 2 s, so progress always moves.
// One provider above the pages holds the one subscription; the header badge, the upload page and
// the pages that refresh on progress all read it, so a page never opens a second one.
import { useQuery, useSubscription } from '@apollo/client';
import { createContext, useContext, useState, type ReactNode } from 'react';
import type { LibraryStatus } from '../api/types';
import documents from './status.graphql';

export const pollEveryMs = 2000;

interface LibraryStatusValue {
  status: LibraryStatus | null;
  live: boolean;
  error: Error | undefined;
}

const LibraryStatusContext = createContext<LibraryStatusValue | null>(null);

export function LibraryStatusProvider({ children }: { children: ReactNode }) {
  const [pushed, setPushed] = useState(false);
  const subscription = useSubscription<{ libraryStatus: LibraryStatus }>(documents.LibraryStatusChanged, {
    onData: () => setPushed(true),
    onError: () => setPushed(false),
  });
  const live = pushed && !subscription.error;
  const query = useQuery<{ libraryStatus: LibraryStatus }>(documents.LibraryStatus, {
    pollInterval: live ? 0 : pollEveryMs,
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'network-only',
    notifyOnNetworkStatusChange: false,
  });
  // Both write the same normalised LibraryStatus object, so the query sees pushes too.
  const status = subscription.data?.libraryStatus ?? query.data?.libraryStatus ?? null;
  return (
    <LibraryStatusContext.Provider value={{ status, live, error: query.error }}>{children}</LibraryStatusContext.Provider>
  );
}

export function useLibraryStatus(): LibraryStatusValue {
  const value = useContext(LibraryStatusContext);
  if (value === null) throw new Error('useLibraryStatus needs a LibraryStatusProvider above it');
  return value;
}

/** Share of the library's photos whose processing has finished (done or failed). */
export function processedShare(status: LibraryStatus): number {
  if (status.photos === 0) return 1;
  return Math.min(1, (status.photos - status.pending - status.processing) / status.photos);
}
