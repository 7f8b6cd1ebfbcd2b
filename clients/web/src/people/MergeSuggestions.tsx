import { useQuery } from '@apollo/client';
import { useState } from 'react';
import type { ClusterCard } from '../api/types';
import { FaceCrop } from '../components/FaceCrop';
import { Button, Section, errorMessage, personLabel } from '../components/ui';
import { useMergeClusters } from './mutations';
import documents from './people.graphql';

interface Suggestion {
  distance: number;
  target: ClusterCard;
  source: ClusterCard;
}

// The API has no "keep apart" mutation yet, so a dismissed pair is remembered in this browser.
const dismissedKey = 'facesort.keptApart';

function loadDismissed(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(dismissedKey) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

export const pairKey = (a: string, b: string) => [a, b].sort().join('+');

/** "Same person?" pairs the server thinks may be one person: merge them or keep them apart. */
export function MergeSuggestions() {
  const { data, refetch } = useQuery<{ mergeSuggestions: { edges: { node: Suggestion }[] } }>(documents.MergeSuggestions, {
    variables: { first: 6 },
    errorPolicy: 'all',
  });
  const [merge] = useMergeClusters();
  const [dismissed, setDismissed] = useState(loadDismissed);
  const [problem, setProblem] = useState<string | null>(null);
  const suggestions = (data?.mergeSuggestions?.edges ?? [])
    .map((e) => e.node)
    .filter((s) => s.target && s.source && !dismissed.has(pairKey(s.target.id, s.source.id)));
  const keepApart = (a: string, b: string) => {
    const next = new Set(dismissed).add(pairKey(a, b));
    localStorage.setItem(dismissedKey, JSON.stringify([...next]));
    setDismissed(next);
  };
  if (suggestions.length === 0) return null;

  const act = async (work: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await work();
      await refetch();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Section title="Same person?">
      {problem && <p role="alert" className="mb-2 text-sm text-red-700">{problem}</p>}
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {suggestions.map(({ target, source }) => (
          <li key={`${target.id}-${source.id}`} className="flex items-center gap-3 rounded-xl bg-white p-3 ring-1 ring-neutral-200">
            <span className="h-14 w-14 shrink-0"><FaceCrop url={target.coverFace?.cropUrl} alt={personLabel(target.name)} /></span>
            <span className="h-14 w-14 shrink-0"><FaceCrop url={source.coverFace?.cropUrl} alt={personLabel(source.name)} /></span>
            <div className="min-w-0 flex-1 text-sm">
              <p className="truncate font-medium">
                {target.name || source.name ? `${personLabel(target.name)} and ${personLabel(source.name)}` : 'Two unnamed groups'}
              </p>
              <p className="text-xs text-neutral-500">
                {target.faceCount} and {source.faceCount} faces
              </p>
              <div className="mt-1 flex gap-2">
                <Button tone="primary" onClick={() => act(() => merge(target.id, [source.id]))}>
                  Same person
                </Button>
                <Button onClick={() => keepApart(target.id, source.id)}>
                  Keep apart
                </Button>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </Section>
  );
}
