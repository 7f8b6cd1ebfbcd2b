// How the Apollo cache follows the people mutations without refetching whole pages: merged or
// deleted groups leave every list, moved faces leave their old group and point at the new one.
// Counts the server returns on the target cluster are normalised by Apollo on their own.
import { gql, type ApolloCache, type Reference, type StoreObject } from '@apollo/client';
import type { Modifier } from '@apollo/client/cache';

type Edge = { node: Reference | StoreObject };
type StoredConnection = { edges?: Edge[]; totalCount?: number } & Record<string, unknown>;
type Details = Parameters<Modifier<StoredConnection>>[1];

const clusterNameFragment = gql`
  fragment ClusterName on Cluster {
    id
    name
  }
`;

/** The arguments a list field was stored under, e.g. `clusters:{"filter":{"hidden":false}}`. */
export function storedArgs(storeFieldName: string): Record<string, unknown> {
  const colon = storeFieldName.indexOf(':');
  const paren = storeFieldName.indexOf('(');
  try {
    if (colon >= 0 && (paren < 0 || colon < paren)) return JSON.parse(storeFieldName.slice(colon + 1));
    if (paren >= 0) return JSON.parse(storeFieldName.slice(paren + 1, -1));
  } catch {
    // A field stored without JSON arguments simply has none we can read.
  }
  return {};
}

/** Drops the edges whose node id is in `ids`, keeping totalCount in step. */
function dropNodes(connection: StoredConnection, ids: ReadonlySet<string>, { readField }: Details): StoredConnection {
  if (!connection || !Array.isArray(connection.edges)) return connection;
  const edges = connection.edges.filter((edge) => !ids.has(readField<string>('id', edge.node) ?? ''));
  const removed = connection.edges.length - edges.length;
  if (removed === 0) return connection;
  const totalCount =
    typeof connection.totalCount === 'number' ? Math.max(0, connection.totalCount - removed) : connection.totalCount;
  return { ...connection, edges, totalCount };
}

function listModifier(
  ids: ReadonlySet<string>,
  appliesTo: (args: Record<string, unknown>) => boolean = () => true,
): Modifier<unknown> {
  return ((connection: StoredConnection, details: Details) =>
    appliesTo(storedArgs(details.storeFieldName)) ? dropNodes(connection, ids, details) : connection) as Modifier<unknown>;
}

/** Groups that no longer exist (merged away, deleted) leave every list and the cache. */
export function forgetClusters(cache: ApolloCache<unknown>, clusterIds: readonly string[]): void {
  const ids = new Set(clusterIds);
  cache.modify({ id: 'ROOT_QUERY', fields: { clusters: listModifier(ids), people: listModifier(ids) } });
  for (const id of ids) cache.evict({ id: cache.identify({ __typename: 'Cluster', id }) });
  cache.gc();
}

/** A group that got a name leaves the lists of unnamed groups. */
export function leaveUnnamedLists(cache: ApolloCache<unknown>, clusterId: string): void {
  const unnamedOnly = (args: Record<string, unknown>) => (args.filter as { named?: boolean } | undefined)?.named === false;
  cache.modify({ id: 'ROOT_QUERY', fields: { clusters: listModifier(new Set([clusterId]), unnamedOnly) } });
}

/** A hidden group leaves the lists of visible groups (and people); an unhidden one leaves the hidden list. */
export function hideInLists(cache: ApolloCache<unknown>, clusterId: string, hidden: boolean): void {
  const ids = new Set([clusterId]);
  const listsItLeaves = (args: Record<string, unknown>) => {
    const filter = (args.filter ?? {}) as { hidden?: boolean | null };
    return hidden ? filter.hidden !== true : filter.hidden === true;
  };
  cache.modify({
    id: 'ROOT_QUERY',
    fields: { clusters: listModifier(ids, listsItLeaves), people: listModifier(ids, () => hidden) },
  });
}

/** Faces taken out of a group (moved, split off, "not this person") leave its face list and count. */
export function detachFaces(cache: ApolloCache<unknown>, clusterId: string, faceIds: readonly string[]): void {
  const cluster = cache.identify({ __typename: 'Cluster', id: clusterId });
  if (!cluster) return;
  const ids = new Set(faceIds);
  cache.modify({
    id: cluster,
    fields: {
      faces: listModifier(ids),
      faceCount: (count: unknown) => (typeof count === 'number' ? Math.max(0, count - ids.size) : count),
    },
  });
}

/** Points faces at their new group (or at none, for unknown faces). */
export function assignFaces(
  cache: ApolloCache<unknown>,
  faceIds: readonly string[],
  cluster: { id: string; name: string | null } | null,
): void {
  const ref = cluster
    ? cache.writeFragment({
        id: cache.identify({ __typename: 'Cluster', id: cluster.id }),
        fragment: clusterNameFragment,
        data: { __typename: 'Cluster', id: cluster.id, name: cluster.name },
      })
    : null;
  for (const faceId of faceIds) {
    cache.modify({ id: cache.identify({ __typename: 'Face', id: faceId }), fields: { cluster: () => ref ?? null } });
  }
  // Faces given to someone are no longer unknown.
  if (cluster) {
    const unknownOnly = (args: Record<string, unknown>) => (args.filter as { unknown?: boolean } | undefined)?.unknown === true;
    cache.modify({ id: 'ROOT_QUERY', fields: { faces: listModifier(new Set(faceIds), unknownOnly) } });
  }
}
