"""Offline place names from GPS (GeoNames cities shipped in the reverse_geocoder package)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_lock = threading.Lock()


@dataclass(frozen=True)
class Place:
    city: str
    region: str
    country_code: str

    @property
    def label(self) -> str:
        """City, region, country: the nearest listed town can be a suburb, so show all three."""
        return ", ".join(part for part in (self.city, self.region, self.country_code) if part)


@lru_cache(maxsize=1)
def _geocoder() -> Any:
    import reverse_geocoder

    return reverse_geocoder.RGeocoder(mode=1, verbose=False)


def place_of(latitude: float, longitude: float) -> Place | None:
    with _lock:
        results = _geocoder().query([(latitude, longitude)])
    if not results:
        return None
    hit = results[0]
    return Place(city=hit.get("name", ""), region=hit.get("admin1", ""), country_code=hit.get("cc", ""))
