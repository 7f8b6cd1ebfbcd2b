"""schema.graphql is the contract: the committed file equals what the code exports."""

from __future__ import annotations

from pathlib import Path

from schema.schema import export_schema

REPO = Path(__file__).resolve().parents[2]


def test_committed_schema_matches_the_code() -> None:
    committed = (REPO / "schema.graphql").read_text()
    assert committed == export_schema(), "run `facesort export-schema > schema.graphql` and commit it"


def test_design_names_are_in_the_schema() -> None:
    sdl = export_schema()
    for name in ["me: User", "photo(id: ID!)", "photos(filter: PhotoFilter", "face(id: ID!)", "faces(filter:",
                 "clusters(filter: ClusterFilter", "people(name: String", "person(id: ID!)", "mergeSuggestions",
                 "places(", "albums(", "libraryStatus: LibraryStatus!", "uploadPhotos(files: [Upload!]!)",
                 "deletePhotos(ids:", "nameCluster(id: ID!, name: String!)", "mergeClusters(targetId: ID!",
                 "splitCluster(id: ID!, faceIds:", "moveFaces(faceIds:", "rejectFaces(faceIds:",
                 "deleteCluster(id:", "hideCluster(id: ID!, hidden: Boolean!)", "setCoverFace(clusterId:",
                 "recluster:", "addLabels(", "removeLabels(", "createAlbum(", "renameAlbum(", "addPhotosToAlbum(",
                 "removePhotosFromAlbum(", "deleteAlbum(", "login(username: String!, password: String!): LoginResult",
                 "union LoginResult = Session | InvalidCredentials", "createApiToken(name: String!)",
                 "type Subscription", "personMatch: PersonMatch", "hasUnknownFaces: Boolean"]:
        assert name in sdl, name
