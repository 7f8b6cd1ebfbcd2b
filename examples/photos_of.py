#!/usr/bin/env python3
"""A third-party app: print the photos of one person (or several, all together) from facesort.

    FACESORT_URL=http://127.0.0.1:8000 FACESORT_TOKEN=... python examples/photos_of.py "Mom" ["Dad" ...]

Make the token once in GraphiQL (`mutation { createApiToken(name: "my app") { ... on CreatedApiToken
{ token } } }`). Only the standard library is used, so the script runs anywhere Python 3.9+ does.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request

PHOTOS_OF = """
query PhotosOf($names: [String!], $after: String) {
  photos(first: 50, after: $after, filter: { personNames: $names, personMatch: ALL }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id fileName takenAt location thumbnailUrl
                   faces { id box { x y width height } cluster { id name } } } }
  }
}
"""


def graphql(url: str, token: str, query: str, variables: dict[str, object]) -> dict[str, object]:
    request = urllib.request.Request(  # noqa: S310 - http(s) is checked below
        f"{url.rstrip('/')}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    if not url.startswith(("http://", "https://")):
        raise SystemExit("FACESORT_URL must be an http(s) URL")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http(s) checked above
        answer = json.load(response)
    if answer.get("errors"):
        raise SystemExit(f"facesort said: {answer['errors'][0]['message']}")
    return answer["data"]  # type: ignore[no-any-return]


def main(names: list[str]) -> int:
    url = os.environ.get("FACESORT_URL", "http://127.0.0.1:8000")
    token = os.environ.get("FACESORT_TOKEN", "")
    if not names or not token:
        print(__doc__, file=sys.stderr)
        return 2
    after = None
    total = 0
    while True:
        page = graphql(url, token, PHOTOS_OF, {"names": names, "after": after})["photos"]
        assert isinstance(page, dict)
        if after is None:
            print(f"{page['totalCount']} photos of {' and '.join(names)}")
        for edge in page["edges"]:
            photo = edge["node"]
            people = sorted({f["cluster"]["name"] for f in photo["faces"] if f["cluster"] and f["cluster"]["name"]})
            print(f"{photo['takenAt'] or '-':25} {photo['fileName']:40} {photo['location'] or '':30} "
                  f"{', '.join(people)}  {url.rstrip('/')}{photo['thumbnailUrl'] or ''}")
            total += 1
        if not page["pageInfo"]["hasNextPage"]:
            return 0 if total else 1
        after = page["pageInfo"]["endCursor"]


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
