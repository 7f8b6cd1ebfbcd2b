import { useState } from 'react';
import { FaceGrid, type GridFace } from '../components/FaceGrid';
import { NameInput } from '../components/NameInput';
import { Button, Section, errorMessage } from '../components/ui';
import { emptySelection, keepOnly } from '../lib/selection';
import { useFaceCorrections } from './mutations';
import documents from './people.graphql';
import { usePagedList } from './usePagedList';

/** Faces that belong to no group: give the ones you recognise to a person. */
export function UnknownFaces() {
  const list = usePagedList<GridFace>(documents.UnknownFaces, 'faces', { first: 60 });
  const [selection, setSelection] = useState(emptySelection);
  const [problem, setProblem] = useState<string | null>(null);
  const { move, create, busy } = useFaceCorrections(null);
  const shown = keepOnly(selection, list.nodes.map((f) => f.id));
  if (list.nodes.length === 0) return null;

  return (
    <Section
      title="Unknown faces"
      count={list.total}
      actions={
        shown.ids.size > 0 && (
          <div className="flex items-center gap-2">
            <span className="text-sm text-neutral-600">{shown.ids.size} selected</span>
            <div className="w-48">
              <NameInput
                label="Give selected faces to"
                placeholder="Who is this?"
                onSubmit={async (name, person) => {
                  setProblem(null);
                  try {
                    if (person) await move([...shown.ids], person);
                    else await create([...shown.ids], name);
                    setSelection(emptySelection);
                  } catch (error) {
                    setProblem(errorMessage(error));
                  }
                }}
              />
            </div>
            <Button tone="ghost" disabled={busy} onClick={() => setSelection(emptySelection)}>
              Clear
            </Button>
          </div>
        )
      }
    >
      {problem && <p role="alert" className="mb-2 text-sm text-red-700">{problem}</p>}
      <FaceGrid faces={list.nodes} selection={shown} onSelection={setSelection} label="Unknown faces" />
      {list.hasMore && (
        <Button className="mt-3" onClick={list.more}>
          Show more
        </Button>
      )}
    </Section>
  );
}
