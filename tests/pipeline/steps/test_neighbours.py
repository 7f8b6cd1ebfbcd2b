import numpy as np

from pipeline.steps.neighbours import nearest_neighbours, symmetric_edges


def brute_force(points, k, radius):
    gaps = np.linalg.norm(points[:, None] - points[None], axis=2)
    np.fill_diagonal(gaps, np.inf)
    edges = set()
    for i, row in enumerate(gaps):
        nearest = [j for j in np.argsort(row, kind="stable")[:k] if row[j] <= radius]
        edges.update((i, int(j)) for j in nearest)
    return edges, gaps


def test_matches_brute_force_across_blocks():
    rng = np.random.default_rng(0)
    points = rng.normal(scale=0.05, size=(1300, 16))  # more rows than one block
    graph = nearest_neighbours(points, k=4, radius=0.2)
    nearest, gaps = brute_force(points, 4, 0.2)
    # Each face's 4 nearest, and the faces that count it among theirs, both directions.
    expected = nearest | {(j, i) for i, j in nearest}
    assert set(zip(graph.source.tolist(), graph.target.tolist(), strict=True)) == expected
    assert np.allclose(graph.distance, gaps[graph.source, graph.target], atol=1e-5)
    assert (np.diff(graph.source) >= 0).all()


def test_nothing_within_the_radius_gives_no_edges():
    points = np.eye(5) * 10
    graph = nearest_neighbours(points, k=3, radius=1.0)
    assert len(graph.source) == 0
    low, high, _ = symmetric_edges(graph)
    assert len(low) == len(high) == 0


def test_symmetric_edges_are_listed_once_low_first():
    points = np.array([[0.0], [0.1], [0.25], [5.0]])
    low, high, distance = symmetric_edges(nearest_neighbours(points, k=1, radius=1.0))
    assert sorted(zip(low.tolist(), high.tolist(), strict=True)) == [(0, 1), (1, 2)]
    assert np.allclose(sorted(distance.tolist()), [0.1, 0.15])
