// Library counters, pushed by the `libraryStatus` subscription. Until the first push arrives (or
// when the websocket fails) the same counters are polled every 2 s, so progress always moves.
import { useQuery, useSubscription } from '@apollo/client';
import { useState } from 'react';
import type { LibraryStatus } from '../api/types';
import documents from './status.graphql';

export const pollEveryMs = 2000;

export function useLibraryStatus() {
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
  return { status, live, error: query.error };
}

/** Share of the library's photos whose processing has finished (done or failed). */
export function processedShare(status: LibraryStatus): number {
  if (status.photos === 0) return 1;
  return Math.min(1, (status.photos - status.pending - status.processing) / status.photos);
}
