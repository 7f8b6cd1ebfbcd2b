"""Importing this package declares every actor on the current broker."""

from pipeline.actors import maintenance, people, photos

__all__ = ["maintenance", "people", "photos"]
