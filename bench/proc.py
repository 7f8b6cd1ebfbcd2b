"""What the benches read about processes: a free port, and memory from /proc (Linux)."""

from __future__ import annotations

import socket
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_kb(pid: int | str, file: str, field: str) -> int:
    """A ``field: N kB`` line of /proc/PID/FILE; 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid: int | str) -> int:
    return proc_kb(pid, "status", "VmRSS:")


def pss_kb(pid: int) -> int:
    """Proportional set size: pages shared with other processes (torch's libraries) counted once."""
    return proc_kb(pid, "smaps_rollup", "Pss:")


def children(pid: int) -> list[int]:
    """Child processes of any of the process's threads (the analysis pool starts from a worker thread)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found
