"""What the one-machine topology costs: CPU seconds per process (and the PostgreSQL backends
serving its databases), resident memory, and what PostgreSQL holds after a run."""

from __future__ import annotations

import os
from pathlib import Path

from tools.scale.stores import admin_connection, pg_connect
from tools.scale.topology import Topology


def storage(topo: Topology) -> dict[str, int]:
    """Bytes per database (pg_database_size) and the rows that grow with traffic."""
    sizes: dict[str, int] = {}
    for role, url in topo.databases.items():
        conn = pg_connect(url)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_database_size(current_database())")
                sizes[f"{role}_bytes"] = int(cur.fetchone()[0])
                for table in {
                    "tracker": ["events"],
                    "bot": ["wa_inbox", "wa_outbox", "audit_log"],
                }.get(role, []):
                    try:
                        cur.execute(
                            f"SELECT count(*), coalesce(sum(pg_column_size(t.*)), 0) FROM {table} t"
                        )
                        rows, size = cur.fetchone()
                        sizes[f"{table}_rows"], sizes[f"{table}_bytes"] = int(rows), int(size)
                    except Exception:
                        conn.rollback()
        finally:
            conn.close()
    return sizes


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) of a process and its waited-for children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def cpu_seconds(topo: Topology) -> dict[str, float]:
    """CPU seconds used so far by each process of the topology, and by the PostgreSQL backends
    serving its databases (the machine is shared: CPU per turn is what the figures rest on)."""
    used = {name: sum(_cpu_of(p) for p in _descendants(pid)) for name, pid in topo.pids.items()}
    try:
        admin, _ = admin_connection()
        with admin.cursor() as cur:
            cur.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = ANY(%s)",
                ([u.rsplit("/", 1)[-1] for u in topo.databases.values()],),
            )
            used["postgresql"] = sum(_cpu_of(int(r[0])) for r in cur.fetchall())
        admin.close()
    except Exception:
        pass
    return used


def statuses_posted(topo: Topology) -> int:
    """Delivery status webhooks the Graph emulator has posted so far (any answer)."""
    import requests

    try:
        counts = requests.get(f"{topo.emulator_url}/health", timeout=5).json()["statuses_posted"]
        return sum(int(v) for v in counts.values())
    except Exception:
        return 0


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (MB)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo += [int(c) for c in children]
        except OSError:
            continue
    return total / 1024
