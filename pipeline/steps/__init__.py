"""Pure steps of the face pipeline: clustering, assignment, reconciling ids, quality metrics.

Functions of arrays and rows only: no database, no vector index, no files.
"""
