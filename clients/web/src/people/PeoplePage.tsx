// People first (named, with cover and photo count), then groups waiting for a name, then faces
// that belong to no group. Tick several to merge or hide them together.
import { useState } from 'react';
import type { ClusterCard } from '../api/types';
import { Button, Empty, Notice, Section, Spinner, errorMessage, personLabel } from '../components/ui';
import { click, emptySelection, keepOnly } from '../lib/selection';
import { ClusterTile } from './ClusterTile';
import { MergeSuggestions } from './MergeSuggestions';
import { useHideCluster, useMergeClusters, useNameCluster } from './mutations';
import documents from './people.graphql';
import { UnknownFaces } from './UnknownFaces';
import { usePagedList } from './usePagedList';
import { useLibraryChanges } from '../upload/useLibraryChanges';

const named = { filter: { named: true, hidden: false }, first: 100 };
const unnamed = { filter: { named: false, hidden: false }, first: 100 };
const hidden = { filter: { hidden: true }, first: 100 };

/** The group the others merge into: a named one if any (the largest), else the largest. */
export function mergeTarget(clusters: ClusterCard[]): ClusterCard | null {
  const bySize = [...clusters].sort((a, b) => b.faceCount - a.faceCount);
  return bySize.find((c) => c.name) ?? bySize[0] ?? null;
}

function TileList({ children, label }: { children: React.ReactNode; label: string }) {
  return (
    <ul aria-label={label} className="grid grid-cols-[repeat(auto-fill,minmax(8.5rem,1fr))] gap-2">
      {children}
    </ul>
  );
}

export function PeoplePage() {
  const people = usePagedList<ClusterCard>(documents.Clusters, 'clusters', named);
  const groups = usePagedList<ClusterCard>(documents.Clusters, 'clusters', unnamed);
  const [showHidden, setShowHidden] = useState(false);
  const hiddenGroups = usePagedList<ClusterCard>(documents.Clusters, 'clusters', hidden, !showHidden);
  // New groups form while photos are processed: show them as they come.
  useLibraryChanges(
    (s) => [s.clusters, s.people, s.faces],
    () => {
      void people.refetch();
      void groups.refetch();
    },
  );
  const [selection, setSelection] = useState(emptySelection);
  const [problem, setProblem] = useState<string | null>(null);
  const [name] = useNameCluster();
  const [merge, mergeState] = useMergeClusters();
  const [hide, hideState] = useHideCluster();

  const all = [...people.nodes, ...groups.nodes, ...(showHidden ? hiddenGroups.nodes : [])];
  const order = all.map((c) => c.id);
  const shown = keepOnly(selection, order);
  const selected = all.filter((c) => shown.ids.has(c.id));
  const toggle = (id: string) => (shiftKey: boolean) => setSelection(click(shown, id, order, { shiftKey }));

  const act = async (work: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await work();
      setSelection(emptySelection);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  const mergeSelected = () =>
    act(async () => {
      const target = mergeTarget(selected);
      if (!target) return;
      const names = new Set(selected.map((c) => c.name).filter(Boolean));
      if (names.size > 1 && !window.confirm(`Merge ${[...names].join(', ')} into ${target.name}? They become one person.`)) return;
      await merge(target.id, selected.filter((c) => c.id !== target.id).map((c) => c.id));
    });

  if ((people.loading || groups.loading) && all.length === 0) return <Spinner label="Loading people" />;
  const error = people.error ?? groups.error;

  return (
    <div>
      <div className="mb-4 flex items-center gap-3">
        <h1 className="text-2xl font-semibold">People</h1>
        <label className="ml-auto flex items-center gap-1.5 text-sm text-neutral-600">
          <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} />
          Show hidden
        </label>
      </div>
      {error && <Notice tone="error">{error.message}</Notice>}
      {problem && <Notice tone="error">{problem}</Notice>}
      <MergeSuggestions />
      <Section title="People" count={people.total}>
        {people.nodes.length === 0 ? (
          <Empty title="Nobody named yet">Name a group below and every matching face, past and future, carries that name.</Empty>
        ) : (
          <TileList label="People">
            {people.nodes.map((c) => (
              <ClusterTile key={c.id} cluster={c} selected={shown.ids.has(c.id)} onToggle={toggle(c.id)} />
            ))}
          </TileList>
        )}
        {people.hasMore && <Button className="mt-3" onClick={people.more}>Show more people</Button>}
      </Section>
      <Section title="Groups to name" count={groups.total}>
        {groups.nodes.length === 0 ? (
          <Empty title="No groups waiting">New groups appear here as photos are processed.</Empty>
        ) : (
          <TileList label="Groups to name">
            {groups.nodes.map((c) => (
              <ClusterTile
                key={c.id}
                cluster={c}
                selected={shown.ids.has(c.id)}
                onToggle={toggle(c.id)}
                onName={async (typed, existing) => {
                  // Picking an existing person is the same as naming with that name: a merge.
                  await name(c.id, existing?.name ?? typed);
                }}
              />
            ))}
          </TileList>
        )}
        {groups.hasMore && <Button className="mt-3" onClick={groups.more}>Show more groups</Button>}
      </Section>
      {showHidden && (
        <Section title="Hidden" count={hiddenGroups.total}>
          <TileList label="Hidden groups">
            {hiddenGroups.nodes.map((c) => (
              <ClusterTile key={c.id} cluster={c} selected={shown.ids.has(c.id)} onToggle={toggle(c.id)} />
            ))}
          </TileList>
        </Section>
      )}
      <UnknownFaces />
      {selected.length > 0 && (
        <div role="toolbar" aria-label="Selected groups" className="fixed inset-x-0 bottom-16 z-30 mx-auto flex w-fit flex-wrap items-center gap-2 rounded-2xl bg-neutral-900 px-4 py-2 text-sm text-white shadow-xl sm:bottom-6">
          <span>{selected.length} selected</span>
          <Button tone="primary" disabled={selected.length < 2 || mergeState.loading} onClick={mergeSelected}>
            Merge{selected.length > 1 ? ` into ${personLabel(mergeTarget(selected)?.name)}` : ''}
          </Button>
          {selected.every((c) => c.hidden) ? (
            <Button disabled={hideState.loading} onClick={() => act(() => Promise.all(selected.map((c) => hide(c.id, false))))}>
              Unhide
            </Button>
          ) : (
            <Button disabled={hideState.loading} onClick={() => act(() => Promise.all(selected.map((c) => hide(c.id, true))))}>
              Hide
            </Button>
          )}
          <Button tone="ghost" className="text-white hover:bg-white/10" onClick={() => setSelection(emptySelection)}>
            Clear
          </Button>
        </div>
      )}
    </div>
  );
}
