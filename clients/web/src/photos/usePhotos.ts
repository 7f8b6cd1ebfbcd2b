import { useQuery } from '@apollo/client';
import { useCallback, useMemo } from 'react';
import type { Connection, PhotoCard } from '../api/types';
import documents from './photos.graphql';

export const photosPageSize = 100;

/** One photo list (a filter), paged with the Relay cursor; shared by the grid and the photo view. */
export function usePhotos(filter: Record<string, unknown>) {
  const variables = useMemo(() => ({ filter, first: photosPageSize }), [filter]);
  const { data, loading, error, fetchMore, refetch } = useQuery<{ photos: Connection<PhotoCard> }>(documents.Photos, { variables });
  const connection = data?.photos;
  const photos = useMemo(() => connection?.edges.map((edge) => edge.node) ?? [], [connection]);
  const hasMore = connection?.pageInfo.hasNextPage ?? false;
  const loadMore = useCallback(async () => {
    if (!connection?.pageInfo.hasNextPage || loading) return;
    await fetchMore({ variables: { after: connection.pageInfo.endCursor } });
  }, [connection, loading, fetchMore]);
  return { photos, total: connection?.totalCount ?? null, loading, error, hasMore, loadMore, refetch };
}
