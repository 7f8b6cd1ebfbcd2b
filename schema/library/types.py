"""Library status: what is stored, what is still to do."""

from __future__ import annotations

import strawberry

from core.services.library import LibraryStatus as Counts


@strawberry.type(description="Counts for your library; pending + processing is the work still to do.")
class LibraryStatus:
    photos: int
    pending: int
    processing: int
    done: int
    failed: int
    faces: int
    unknown_faces: int = strawberry.field(description="Faces in no cluster.")
    clusters: int
    people: int = strawberry.field(description="Named clusters.")

    @classmethod
    def from_counts(cls, counts: Counts) -> LibraryStatus:
        return cls(
            photos=counts.photos, pending=counts.pending, processing=counts.processing, done=counts.done,
            failed=counts.failed, faces=counts.faces, unknown_faces=counts.unknown_faces,
            clusters=counts.clusters, people=counts.people,
        )
