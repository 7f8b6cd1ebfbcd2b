"""ALL/ANY person search on real pipeline output: dev-set photos analysed by the real models,
assigned and reclustered by the pipeline, each cluster named once, then searched by name."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest

from core.tables import User
from pipeline.people.recluster import recluster_owner
from pipeline.runtime import Runtime
from schema.context import Context, Services
from schema.schema import schema
from tests.pipeline.people.conftest import broker, dev_people, model_runtime  # noqa: F401 - fixtures used below
from tests.pipeline.people.test_real_photos import _import, _name_by_majority
from tests.schema.conftest import caller_for

pytestmark = pytest.mark.slow

SEARCH = """query($names: [String!], $match: PersonMatch!) {
  photos(first: 500, filter: {personNames: $names, personMatch: $match}) {
    totalCount edges { node { fileName faces { cluster { name } } } } } }"""


def _search(services: Services, owner: User, names: list[str], match: str) -> set[str]:
    async def run() -> Any:
        context = Context(services=services, caller=caller_for(owner))
        return await schema.execute(SEARCH, variable_values={"names": names, "match": match}, context_value=context)

    result = asyncio.run(run())
    assert result.errors is None, result.errors
    photos = result.data["photos"]
    assert photos["totalCount"] == len(photos["edges"])
    for edge in photos["edges"]:
        shown = {face["cluster"]["name"] for face in edge["node"]["faces"] if face["cluster"]}
        wanted = {name.lower() for name in names}
        present = {name.lower() for name in shown if name}
        assert (wanted <= present) if match == "ALL" else (wanted & present), (edge, names, match)
    return {edge["node"]["fileName"] for edge in photos["edges"]}


def test_all_and_any_on_real_faces(
    model_runtime: Runtime, owner: User, dev_people: Any, services: Services  # noqa: F811
) -> None:
    runtime = model_runtime
    photos = [p for person in dev_people.values() for p in person]
    stored = _import(runtime, owner, photos)
    recluster_owner(runtime, owner.id, force=True)
    named = _name_by_majority(runtime, owner, stored)
    assert {"angelina_jolie", "katy_perry"} <= set(named)
    services = dataclasses.replace(services, sessions=runtime.sessions)

    by_person = {name: {p.path for p in photos if p.person == name} for name in named}
    jolie = _search(services, owner, ["Angelina_Jolie"], "ALL")
    katy = _search(services, owner, ["katy_perry"], "ALL")
    # Recall of "photos of NAME" after one naming action per cluster.
    assert len(jolie & by_person["angelina_jolie"]) >= 0.8 * len(by_person["angelina_jolie"])
    assert len(katy & by_person["katy_perry"]) >= 0.8 * len(by_person["katy_perry"])
    either = _search(services, owner, ["angelina_jolie", "katy_perry"], "ANY")
    assert either == jolie | katy
    both = _search(services, owner, ["angelina_jolie", "katy_perry"], "ALL")
    assert both == jolie & katy
    assert _search(services, owner, ["angelina_jolie", "nobody at all"], "ALL") == set()
