// Type a name; existing people matching it are suggested (arrow keys + Enter, or click). Picking
// a suggestion means "this is that person" (the server merges); free text makes a new name.
import { useQuery } from '@apollo/client';
import { useEffect, useId, useState } from 'react';
import photos from '../photos/photos.graphql';
import { FaceCrop } from './FaceCrop';

export interface PersonChoice {
  id: string;
  name: string;
}

interface Props {
  label: string;
  placeholder?: string;
  initial?: string;
  /** Only existing people can be picked (e.g. "move faces to…"). */
  existingOnly?: boolean;
  excludeId?: string;
  autoFocus?: boolean;
  onSubmit: (name: string, existing: PersonChoice | null) => void | Promise<void>;
  onCancel?: () => void;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function NameInput({ label, placeholder, initial = '', existingOnly, excludeId, autoFocus, onSubmit, onCancel }: Props) {
  const [text, setText] = useState(initial);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const query = useDebounced(text.trim(), 150);
  const listId = useId();
  const { data } = useQuery<{ people: { edges: { node: PersonChoice & { coverFace: { cropUrl: string } | null } }[] } }>(
    photos.PeopleNames,
    { variables: { name: query || null, first: 8 }, skip: !open, fetchPolicy: 'cache-and-network' },
  );
  const suggestions = (data?.people.edges ?? []).map((e) => e.node).filter((p) => p.id !== excludeId && p.name);

  const submit = async (choice: PersonChoice | null) => {
    const name = choice?.name ?? text.trim();
    if (!name || (existingOnly && !choice)) return;
    setOpen(false);
    await onSubmit(name, choice);
  };

  const exact = suggestions.find((p) => p.name.toLocaleLowerCase() === text.trim().toLocaleLowerCase()) ?? null;

  return (
    <form
      className="relative"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(active >= 0 ? (suggestions[active] ?? null) : exact);
      }}
    >
      <label className="sr-only" htmlFor={`${listId}-input`}>
        {label}
      </label>
      <input
        id={`${listId}-input`}
        aria-label={label}
        role="combobox"
        aria-expanded={open && suggestions.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        autoFocus={autoFocus}
        autoComplete="off"
        value={text}
        placeholder={placeholder ?? label}
        onFocus={() => setOpen(true)}
        onChange={(event) => {
          setText(event.target.value);
          setActive(-1);
          setOpen(true);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setActive((i) => Math.min(i + 1, suggestions.length - 1));
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setActive((i) => Math.max(i - 1, -1));
          } else if (event.key === 'Escape') {
            setOpen(false);
            onCancel?.();
          }
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        className="w-full rounded-lg border border-neutral-300 bg-white px-2.5 py-1.5 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200"
      />
      {open && suggestions.length > 0 && (
        <ul
          id={listId}
          role="listbox"
          className="absolute z-30 mt-1 max-h-64 w-full min-w-48 overflow-auto rounded-lg bg-white py-1 text-sm shadow-lg ring-1 ring-neutral-200"
        >
          {suggestions.map((person, index) => (
            <li
              key={person.id}
              role="option"
              aria-selected={index === active}
              onMouseDown={(event) => {
                event.preventDefault();
                void submit(person);
              }}
              className={`flex cursor-pointer items-center gap-2 px-2 py-1.5 ${index === active ? 'bg-sky-100' : 'hover:bg-neutral-100'}`}
            >
              <span className="h-6 w-6 shrink-0">
                <FaceCrop url={person.coverFace?.cropUrl} alt="" />
              </span>
              {person.name}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
