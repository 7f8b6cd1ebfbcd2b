// Face crops to pick from: click or Space toggles, shift-click picks a run, Ctrl/⌘+A picks all.
import type { KeyboardEvent } from 'react';
import { Link } from 'react-router-dom';
import { click, selectAll, type Selection } from '../lib/selection';

export interface GridFace {
  id: string;
  cropUrl: string;
  photo: { id: string; fileName: string };
}

interface Props {
  faces: GridFace[];
  selection: Selection;
  onSelection: (next: Selection) => void;
  label: string;
}

export function FaceGrid({ faces, selection, onSelection, label }: Props) {
  const order = faces.map((face) => face.id);
  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      onSelection(selectAll(order));
    }
  };
  return (
    <ul aria-label={label} onKeyDown={onKeyDown} className="grid grid-cols-[repeat(auto-fill,minmax(5.5rem,1fr))] gap-2">
      {faces.map((face) => {
        const selected = selection.ids.has(face.id);
        return (
          <li key={face.id} className="group relative">
            <button
              type="button"
              aria-pressed={selected}
              aria-label={`Face in ${face.photo.fileName}`}
              data-face-id={face.id}
              onClick={(event) => onSelection(click(selection, face.id, order, event))}
              className={`block aspect-square w-full overflow-hidden rounded-xl bg-neutral-200 focus-visible:outline-3 focus-visible:outline-sky-500 ${
                selected ? 'ring-4 ring-sky-500' : ''
              }`}
            >
              <img src={face.cropUrl} alt="" loading="lazy" className={`h-full w-full object-cover ${selected ? 'opacity-80' : ''}`} />
              {selected && (
                <span aria-hidden className="absolute top-1 left-1 flex h-5 w-5 items-center justify-center rounded-full bg-sky-600 text-xs text-white">
                  ✓
                </span>
              )}
            </button>
            <Link
              to={`/photos/${face.photo.id}`}
              className="absolute right-1 bottom-1 hidden rounded bg-black/60 px-1 text-[10px] text-white group-hover:block group-focus-within:block"
            >
              photo
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
