import { gql } from '@apollo/client';
import { MockedProvider, type MockedResponse } from '@apollo/client/testing';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createCache } from '../api/cache';
import people from './people.graphql';
import person from '../person/person.graphql';
import { useDeleteCluster, useFaceCorrections, useHideCluster, useMergeClusters, useNameCluster } from './mutations';

const card = (id: string, name: string | null, faceCount: number, hidden = false) => ({
  __typename: 'Cluster',
  id,
  name,
  faceCount,
  photoCount: faceCount,
  hidden,
  coverFace: null,
});

const connection = (nodes: object[]) => ({
  __typename: 'ClusterConnection',
  totalCount: nodes.length,
  pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
  edges: nodes.map((node) => ({ __typename: 'ClusterEdge', node })),
});

const unnamed = { filter: { named: false, hidden: false }, first: 50 };
const named = { filter: { named: true, hidden: false }, first: 50 };

function seededCache() {
  const cache = createCache();
  cache.writeQuery({
    query: people.Clusters,
    variables: unnamed,
    data: { clusters: connection([card('g1', null, 5), card('g2', null, 3), card('g3', null, 2)]) },
  });
  cache.writeQuery({
    query: people.Clusters,
    variables: named,
    data: { clusters: connection([card('p1', 'Mom', 10)]) },
  });
  return cache;
}

function listed(cache: ReturnType<typeof createCache>, variables: object) {
  const data = cache.readQuery<{ clusters: { totalCount: number; edges: { node: { id: string; faceCount: number } }[] } }>({
    query: people.Clusters,
    variables,
  });
  return { total: data?.clusters.totalCount, ids: data?.clusters.edges.map((e) => e.node.id) };
}

function wrapper(cache: ReturnType<typeof createCache>, mocks: MockedResponse[]) {
  return ({ children }: { children: ReactNode }) => (
    <MockedProvider cache={cache} mocks={mocks}>
      {children}
    </MockedProvider>
  );
}

describe('cache after people mutations', () => {
  it('merge removes the merged groups from the lists and updates the target', async () => {
    const cache = seededCache();
    const mocks = [
      {
        request: { query: people.MergeClusters, variables: { targetId: 'g1', sourceIds: ['g2', 'g3'] } },
        result: { data: { mergeClusters: card('g1', null, 10) } },
      },
    ];
    const { result } = renderHook(() => useMergeClusters(), { wrapper: wrapper(cache, mocks) });
    await act(() => result.current[0]('g1', ['g2', 'g3']));
    expect(listed(cache, unnamed)).toEqual({ total: 1, ids: ['g1'] });
    expect(cache.readFragment({ id: 'Cluster:g1', fragment: people.ClusterCardFragment })).toMatchObject({ faceCount: 10 });
    expect(cache.extract()['Cluster:g2']).toBeUndefined();
  });

  it('naming with an existing name that merged the group drops it from the unnamed list', async () => {
    const cache = seededCache();
    const mocks = [
      {
        request: { query: people.NameCluster, variables: { id: 'g2', name: 'Mom' } },
        result: { data: { nameCluster: card('p1', 'Mom', 13) } },
      },
    ];
    const { result } = renderHook(() => useNameCluster(), { wrapper: wrapper(cache, mocks) });
    await act(() => result.current[0]('g2', 'Mom'));
    expect(listed(cache, unnamed).ids).toEqual(['g1', 'g3']);
    expect(listed(cache, named)).toEqual({ total: 1, ids: ['p1'] });
    expect(cache.readFragment({ id: 'Cluster:p1', fragment: people.ClusterCardFragment })).toMatchObject({ faceCount: 13 });
  });

  it('naming a group in place renames it everywhere', async () => {
    const cache = seededCache();
    const mocks = [
      {
        request: { query: people.NameCluster, variables: { id: 'g1', name: 'Dad' } },
        result: { data: { nameCluster: card('g1', 'Dad', 5) } },
      },
    ];
    const { result } = renderHook(() => useNameCluster(), { wrapper: wrapper(cache, mocks) });
    await act(() => result.current[0]('g1', 'Dad'));
    expect(cache.readFragment({ id: 'Cluster:g1', fragment: people.ClusterCardFragment })).toMatchObject({ name: 'Dad' });
    expect(listed(cache, unnamed)).toEqual({ total: 2, ids: ['g2', 'g3'] });
  });

  it('a validation error is thrown with its message and changes nothing', async () => {
    const cache = seededCache();
    const mocks = [
      {
        request: { query: people.NameCluster, variables: { id: 'g1', name: ' ' } },
        result: { data: { nameCluster: { __typename: 'ValidationError', message: 'A name cannot be empty' } } },
      },
    ];
    const { result } = renderHook(() => useNameCluster(), { wrapper: wrapper(cache, mocks) });
    let failure: unknown;
    await act(async () => {
      // Caught inside act: a rejected act() leaves React's act queue unusable for later tests.
      await result.current[0]('g1', ' ').catch((error: unknown) => (failure = error));
    });
    expect(String(failure)).toContain('A name cannot be empty');
    expect(listed(cache, unnamed).ids).toEqual(['g1', 'g2', 'g3']);
  });

  it('hiding moves a group out of the visible lists', async () => {
    const cache = seededCache();
    const mocks = [
      {
        request: { query: people.HideCluster, variables: { id: 'g3', hidden: true } },
        result: { data: { hideCluster: card('g3', null, 2, true) } },
      },
    ];
    const { result } = renderHook(() => useHideCluster(), { wrapper: wrapper(cache, mocks) });
    await act(() => result.current[0]('g3', true));
    expect(listed(cache, unnamed)).toEqual({ total: 2, ids: ['g1', 'g2'] });
  });

  it('delete forgets the group', async () => {
    const cache = seededCache();
    const mocks = [
      {
        request: { query: person.DeleteCluster, variables: { id: 'p1' } },
        result: { data: { deleteCluster: { __typename: 'DeletedCluster', id: 'p1', facesUnassigned: 10 } } },
      },
    ];
    const { result } = renderHook(() => useDeleteCluster(), { wrapper: wrapper(cache, mocks) });
    await act(() => result.current[0]('p1'));
    expect(listed(cache, named)).toEqual({ total: 0, ids: [] });
  });

  describe('faces leaving a person', () => {
    const face = (id: string) => ({
      __typename: 'Face',
      id,
      cropUrl: `/media/faces/${id}`,
      detectionConfidence: 0.99,
      photo: { __typename: 'Photo', id: `photo-${id}`, fileName: `${id}.jpg` },
    });
    const personVariables = { id: 'p1', first: 100 };

    function withPerson() {
      const cache = seededCache();
      cache.writeQuery({
        query: person.Person,
        variables: personVariables,
        data: {
          cluster: {
            ...card('p1', 'Mom', 3),
            faces: {
              __typename: 'FaceConnection',
              totalCount: 3,
              pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
              edges: ['f1', 'f2', 'f3'].map((id) => ({ __typename: 'FaceEdge', node: face(id) })),
            },
          },
        },
      });
      // As the photo page has them: each face knows its group.
      for (const id of ['f1', 'f2', 'f3']) {
        cache.writeFragment({
          id: `Face:${id}`,
          fragment: gql`
            fragment FaceGroup on Face {
              cluster {
                id
                name
              }
            }
          `,
          data: { __typename: 'Face', cluster: { __typename: 'Cluster', id: 'p1', name: 'Mom' } },
        });
      }
      return cache;
    }

    const personFaces = (cache: ReturnType<typeof createCache>) => {
      const data = cache.readQuery<{
        cluster: { faceCount: number; faces: { totalCount: number; edges: { node: { id: string } }[] } };
      }>({ query: person.Person, variables: personVariables });
      return {
        faceCount: data?.cluster.faceCount,
        total: data?.cluster.faces.totalCount,
        ids: data?.cluster.faces.edges.map((e) => e.node.id),
      };
    };

    it('moved faces leave the source and point at the target', async () => {
      const cache = withPerson();
      const mocks = [
        {
          request: { query: people.MoveFaces, variables: { faceIds: ['f2'], clusterId: 'g1' } },
          result: { data: { moveFaces: card('g1', null, 6) } },
        },
      ];
      const { result } = renderHook(() => useFaceCorrections('p1'), { wrapper: wrapper(cache, mocks) });
      await act(() => result.current.move(['f2'], { id: 'g1', name: null }));
      expect(personFaces(cache)).toEqual({ faceCount: 2, total: 2, ids: ['f1', 'f3'] });
      expect(cache.extract()['Face:f2']?.cluster).toEqual({ __ref: 'Cluster:g1' });
      expect(cache.readFragment({ id: 'Cluster:g1', fragment: people.ClusterCardFragment })).toMatchObject({ faceCount: 6 });
    });

    it('"not this person" leaves faces without a group', async () => {
      const cache = withPerson();
      const mocks = [
        {
          request: { query: person.RejectFaces, variables: { faceIds: ['f1', 'f3'] } },
          result: { data: { rejectFaces: { __typename: 'RejectedFaces', faces: [{ __typename: 'Face', id: 'f1' }, { __typename: 'Face', id: 'f3' }] } } },
        },
      ];
      const { result } = renderHook(() => useFaceCorrections('p1'), { wrapper: wrapper(cache, mocks) });
      await act(() => result.current.reject(['f1', 'f3']));
      expect(personFaces(cache)).toEqual({ faceCount: 1, total: 1, ids: ['f2'] });
      expect(cache.extract()['Face:f1']?.cluster).toBeNull();
    });

    it('split faces go to the new group', async () => {
      const cache = withPerson();
      const mocks = [
        {
          request: { query: person.SplitCluster, variables: { id: 'p1', faceIds: ['f3'] } },
          result: { data: { splitCluster: card('g9', null, 1) } },
        },
      ];
      const { result } = renderHook(() => useFaceCorrections('p1'), { wrapper: wrapper(cache, mocks) });
      await act(() => result.current.split(['f3']));
      expect(personFaces(cache).ids).toEqual(['f1', 'f2']);
      expect(cache.extract()['Face:f3']?.cluster).toEqual({ __ref: 'Cluster:g9' });
    });
  });
});
