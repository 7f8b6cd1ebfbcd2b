// The people mutations, each paired with the cache update that keeps every open list right.
import { useApolloClient, useMutation } from '@apollo/client';
import { useCallback } from 'react';
import { assignFaces, detachFaces, forgetClusters, hideInLists, leaveUnnamedLists } from '../api/cacheUpdates';
import { isProblem, type ClusterCard } from '../api/types';
import people from './people.graphql';
import person from '../person/person.graphql';

type Result = { __typename: string; message?: string } & Partial<ClusterCard>;

/** Throws the message of an expected failure (NotFound, ValidationError...) so callers show it. */
function cluster(result: Result | null | undefined): Result {
  if (!result) throw new Error('No answer from the server');
  if (isProblem(result as never)) throw new Error(result.message ?? result.__typename);
  return result;
}

export function useNameCluster() {
  const [run, state] = useMutation<{ nameCluster: Result }>(people.NameCluster);
  const name = useCallback(
    async (id: string, newName: string) => {
      const { data } = await run({
        variables: { id, name: newName },
        update(cache, { data: answer }) {
          const named = answer?.nameCluster;
          // Naming with an existing person's name merges into that person: this group is gone.
          if (named?.__typename !== 'Cluster' || !named.id) return;
          if (named.id !== id) forgetClusters(cache, [id]);
          else leaveUnnamedLists(cache, id);
        },
        // The list of named people is sorted by the server: let it place the new name.
        refetchQueries: ['Clusters'],
      });
      return cluster(data?.nameCluster);
    },
    [run],
  );
  return [name, state] as const;
}

export function useMergeClusters() {
  const [run, state] = useMutation<{ mergeClusters: Result }>(people.MergeClusters);
  const merge = useCallback(
    async (targetId: string, sourceIds: string[]) => {
      const { data } = await run({
        variables: { targetId, sourceIds },
        update(cache, { data: answer }) {
          if (answer?.mergeClusters.__typename === 'Cluster') forgetClusters(cache, sourceIds.filter((s) => s !== targetId));
        },
        // Photos and faces of the merged groups now carry the target's name.
        refetchQueries: ['Photo', 'UnknownFaces'],
      });
      return cluster(data?.mergeClusters);
    },
    [run],
  );
  return [merge, state] as const;
}

export function useHideCluster() {
  const [run, state] = useMutation<{ hideCluster: Result }>(people.HideCluster);
  const hide = useCallback(
    async (id: string, hidden: boolean) => {
      const { data } = await run({
        variables: { id, hidden },
        update(cache, { data: answer }) {
          if (answer?.hideCluster.__typename === 'Cluster') hideInLists(cache, id, hidden);
        },
      });
      return cluster(data?.hideCluster);
    },
    [run],
  );
  return [hide, state] as const;
}

export function useDeleteCluster() {
  const [run, state] = useMutation<{ deleteCluster: Result }>(person.DeleteCluster);
  const remove = useCallback(
    async (id: string) => {
      const { data } = await run({
        variables: { id },
        update(cache, { data: answer }) {
          if (answer && !isProblem(answer.deleteCluster as never)) forgetClusters(cache, [id]);
        },
        refetchQueries: ['UnknownFaces'],
      });
      if (data && isProblem(data.deleteCluster as never)) throw new Error(data.deleteCluster.message);
    },
    [run],
  );
  return [remove, state] as const;
}

/** Move, split and "not this person" all take faces out of `fromClusterId`. */
export function useFaceCorrections(fromClusterId: string | null) {
  const [moveRun, moveState] = useMutation<{ moveFaces: Result }>(people.MoveFaces);
  const [splitRun, splitState] = useMutation<{ splitCluster: Result }>(person.SplitCluster);
  const [rejectRun, rejectState] = useMutation<{ rejectFaces: Result }>(person.RejectFaces);
  const [createRun, createState] = useMutation<{ createPerson: Result }>(people.CreatePerson);
  const client = useApolloClient();

  const leaveSource = useCallback(
    (faceIds: string[]) => {
      if (fromClusterId) detachFaces(client.cache, fromClusterId, faceIds);
    },
    [client, fromClusterId],
  );

  const move = useCallback(
    async (faceIds: string[], target: { id: string; name: string | null }) => {
      const { data } = await moveRun({ variables: { faceIds, clusterId: target.id } });
      const moved = cluster(data?.moveFaces);
      leaveSource(faceIds);
      assignFaces(client.cache, faceIds, target);
      return moved;
    },
    [moveRun, leaveSource, client],
  );

  const split = useCallback(
    async (faceIds: string[]) => {
      if (!fromClusterId) throw new Error('Only faces of a group can be split off');
      const { data } = await splitRun({ variables: { id: fromClusterId, faceIds }, refetchQueries: ['Clusters'] });
      const created = cluster(data?.splitCluster);
      leaveSource(faceIds);
      if (created.id) assignFaces(client.cache, faceIds, { id: created.id, name: created.name ?? null });
      return created;
    },
    [splitRun, fromClusterId, leaveSource, client],
  );

  const reject = useCallback(
    async (faceIds: string[]) => {
      const { data } = await rejectRun({ variables: { faceIds }, refetchQueries: ['UnknownFaces'] });
      cluster(data?.rejectFaces);
      leaveSource(faceIds);
      assignFaces(client.cache, faceIds, null);
    },
    [rejectRun, leaveSource, client],
  );

  /** A new person (or, without a name, a new group) of these faces. */
  const create = useCallback(
    async (faceIds: string[], name: string | null) => {
      const { data } = await createRun({ variables: { faceIds, name }, refetchQueries: ['Clusters'] });
      const created = cluster(data?.createPerson);
      leaveSource(faceIds);
      if (created.id) assignFaces(client.cache, faceIds, { id: created.id, name: created.name ?? null });
      return created;
    },
    [createRun, leaveSource, client],
  );

  const busy = moveState.loading || splitState.loading || rejectState.loading || createState.loading;
  return { move, split, reject, create, busy };
}
