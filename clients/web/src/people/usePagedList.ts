import { useQuery, type DocumentNode } from '@apollo/client';
import { useCallback, useMemo } from 'react';
import type { Connection } from '../api/types';

/** A Relay connection query whose one root field is the list; `more()` appends the next page. */
export function usePagedList<T>(document: DocumentNode, field: string, variables: Record<string, unknown>, skip = false) {
  const { data, loading, error, fetchMore, refetch } = useQuery<Record<string, Connection<T>>>(document, { variables, skip });
  const connection = data?.[field];
  const nodes = useMemo(() => connection?.edges.map((edge) => edge.node) ?? [], [connection]);
  const more = useCallback(async () => {
    if (connection?.pageInfo.hasNextPage) await fetchMore({ variables: { after: connection.pageInfo.endCursor } });
  }, [connection, fetchMore]);
  return { nodes, total: connection?.totalCount ?? 0, hasMore: connection?.pageInfo.hasNextPage ?? false, more, loading, error, refetch };
}
