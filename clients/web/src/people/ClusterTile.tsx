import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { ClusterCard } from '../api/types';
import { FaceCrop } from '../components/FaceCrop';
import { NameInput, type PersonChoice } from '../components/NameInput';
import { errorMessage, personLabel } from '../components/ui';

interface Props {
  cluster: ClusterCard;
  selected: boolean;
  onToggle: (shiftKey: boolean) => void;
  /** Unnamed groups get an inline "who is this?" box. */
  onName?: (name: string, existing: PersonChoice | null) => Promise<void>;
}

export function ClusterTile({ cluster, selected, onToggle, onName }: Props) {
  const [problem, setProblem] = useState<string | null>(null);
  const label = personLabel(cluster.name);
  return (
    <li
      className={`relative flex flex-col items-center gap-1.5 rounded-xl p-2 text-center ${selected ? 'bg-sky-100 ring-2 ring-sky-500' : 'hover:bg-white'}`}
      aria-label={cluster.name ?? `Unnamed group of ${cluster.faceCount} faces`}
      data-cluster-id={cluster.id}
    >
      <input
        type="checkbox"
        aria-label={`Select ${cluster.name ?? 'group'}`}
        checked={selected}
        onChange={() => undefined}
        onClick={(event) => onToggle(event.shiftKey)}
        className="absolute top-2 left-2 h-4 w-4 accent-sky-600"
      />
      {/* Named tiles have a second link on the name: the face is then one for the mouse only. */}
      <Link
        to={`/people/${cluster.id}`}
        tabIndex={cluster.name ? -1 : undefined}
        aria-hidden={cluster.name ? true : undefined}
        className="block aspect-square w-full max-w-32 rounded-full focus-visible:outline-3 focus-visible:outline-sky-500"
      >
        <FaceCrop url={cluster.coverFace?.cropUrl} alt={label} />
      </Link>
      {cluster.name ? (
        <Link to={`/people/${cluster.id}`} className="w-full truncate text-sm font-medium">
          {cluster.name}
        </Link>
      ) : null}
      <span className="text-xs text-neutral-500">
        {cluster.photoCount} {cluster.photoCount === 1 ? 'photo' : 'photos'}
      </span>
      {onName && (
        <div className="w-full">
          <NameInput
            label={`Name group of ${cluster.faceCount} faces`}
            placeholder="Who is this?"
            onSubmit={async (name, existing) => {
              setProblem(null);
              await onName(name, existing).catch((error: unknown) => setProblem(errorMessage(error)));
            }}
          />
          {problem && <p className="mt-1 text-xs text-red-700" role="alert">{problem}</p>}
        </div>
      )}
    </li>
  );
}
