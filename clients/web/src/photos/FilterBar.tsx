import { useEffect, useState } from 'react';
import { NameInput } from '../components/NameInput';
import { Button } from '../components/ui';
import { emptySearch, isEmptySearch, type PhotoSearch } from '../lib/filters';

const input =
  'rounded-lg border border-neutral-300 bg-white px-2.5 py-1.5 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200';

/** A text box that changes the search when left or on Enter, not on every key. */
function TextFilter({ label, value, onCommit, className = '' }: { label: string; value: string | null; onCommit: (v: string | null) => void; className?: string }) {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  const commit = () => {
    const next = draft.trim() === '' ? null : draft.trim();
    if (next !== value) onCommit(next);
  };
  return (
    <input
      aria-label={label}
      placeholder={label}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
      className={`${input} ${className}`}
    />
  );
}

function Chip({ children, onRemove, label }: { children: string; onRemove: () => void; label: string }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-sky-100 py-0.5 pr-1 pl-2.5 text-sm text-sky-900">
      {children}
      <button type="button" aria-label={label} onClick={onRemove} className="rounded-full px-1.5 hover:bg-sky-200">
        ×
      </button>
    </span>
  );
}

export function FilterBar({ search, onChange }: { search: PhotoSearch; onChange: (next: PhotoSearch) => void }) {
  const [more, setMore] = useState(Boolean(search.place || search.country || search.camera || search.labels.length));
  const set = (patch: Partial<PhotoSearch>) => onChange({ ...search, ...patch });
  return (
    <div className="mb-4 space-y-2 rounded-xl bg-white p-3 ring-1 ring-neutral-200" role="search" aria-label="Photo filters">
      <div className="flex flex-wrap items-center gap-2">
        <TextFilter label="Search photos" value={search.text} onCommit={(text) => set({ text })} className="min-w-40 flex-1" />
        <div className="w-44">
          <NameInput
            key={search.people.join('|')}
            label="Filter by person"
            placeholder="Add a person…"
            existingOnly
            onSubmit={(name) => set({ people: [...search.people.filter((p) => p !== name), name] })}
          />
        </div>
        <label className="flex items-center gap-1 text-sm text-neutral-700">
          From
          <input type="date" aria-label="Taken from" className={input} value={search.from ?? ''} onChange={(e) => set({ from: e.target.value || null })} />
        </label>
        <label className="flex items-center gap-1 text-sm text-neutral-700">
          to
          <input type="date" aria-label="Taken until" className={input} value={search.to ?? ''} onChange={(e) => set({ to: e.target.value || null })} />
        </label>
        <label className="flex items-center gap-1.5 text-sm text-neutral-700">
          <input type="checkbox" checked={search.unknownFaces} onChange={(e) => set({ unknownFaces: e.target.checked })} />
          Unknown faces
        </label>
        <Button tone="ghost" aria-expanded={more} onClick={() => setMore(!more)}>
          {more ? 'Fewer filters' : 'More filters'}
        </Button>
        {!isEmptySearch(search) && (
          <Button tone="ghost" onClick={() => onChange(emptySearch)}>
            Clear
          </Button>
        )}
      </div>
      {more && (
        <div className="flex flex-wrap items-center gap-2">
          <TextFilter label="Place" value={search.place} onCommit={(place) => set({ place })} />
          <TextFilter label="Country" value={search.country} onCommit={(country) => set({ country })} />
          <TextFilter label="Camera" value={search.camera} onCommit={(camera) => set({ camera })} />
          <TextFilter
            key={search.labels.join('|')}
            label="Add a label"
            value={null}
            onCommit={(label) => label && set({ labels: [...search.labels.filter((l) => l !== label), label] })}
          />
        </div>
      )}
      {(search.people.length > 0 || search.labels.length > 0) && (
        <div className="flex flex-wrap items-center gap-2">
          {search.people.map((person) => (
            <Chip key={person} label={`Remove ${person}`} onRemove={() => set({ people: search.people.filter((p) => p !== person) })}>
              {person}
            </Chip>
          ))}
          {search.people.length > 1 && (
            <div role="radiogroup" aria-label="People match" className="flex overflow-hidden rounded-lg ring-1 ring-neutral-300 text-sm">
              {(['ALL', 'ANY'] as const).map((match) => (
                <button
                  key={match}
                  type="button"
                  role="radio"
                  aria-checked={search.match === match}
                  onClick={() => set({ match })}
                  className={`px-2.5 py-1 ${search.match === match ? 'bg-sky-600 text-white' : 'bg-white hover:bg-neutral-100'}`}
                >
                  {match === 'ALL' ? 'All together' : 'Any of them'}
                </button>
              ))}
            </div>
          )}
          {search.labels.map((label) => (
            <Chip key={label} label={`Remove label ${label}`} onRemove={() => set({ labels: search.labels.filter((l) => l !== label) })}>
              {`#${label}`}
            </Chip>
          ))}
        </div>
      )}
    </div>
  );
}
