"""The production topology on one machine: N rasa server replicas and M action servers behind
a real nginx, PostgreSQL (tracker store, bot store, portal) and the Redis lock store.

    python -m tools.scale up --replicas 2 --action-servers 2   # stays up, prints the URLs
    python -m tools.scale down                                  # stops what `up` started
    make bench-scale                                            # starts, measures, stops

Every process is a real one: `rasa run` replicas on their own ports (no sticky sessions:
nginx sends each request to the replica with the fewest open), `rasa run actions` servers
behind a second nginx upstream, the reference portal and the Graph API emulator. Each run
makes its own PostgreSQL databases (`sathi_scale_<run>_{tracker,bot,portal}`) and uses its
own Redis database number and key prefix, so it never touches anybody else's data; `stop`
drops the databases it made.

Ports (SATHI_SCALE_PORT_BASE, default 6100): nginx rasa +0, replicas +1.., nginx actions +50,
action servers +51.., portal +70, Graph emulator +71. nginx is installed with apt-get when it
is missing (`ensure_nginx`), and runs from a config file of its own under the state folder.
The run's databases and Redis keys are made and dropped by tools/scale/stores.py; the
environment and credentials.yml every process runs with come from tools/scale/environment.py.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from sathi.settings import settings
from tools.local_stack import process_alive
from tools.scale import stores
from tools.scale.environment import credentials_file, process_environment
from tools.scale.nginx import ensure_nginx, nginx_config

ROOT = Path(__file__).resolve().parents[2]
PY = ROOT / ".venv" / "bin" / "python"
RASA = ROOT / ".venv" / "bin" / "rasa"
MODEL = ROOT / "models" / "sathi.tar.gz"
STATE_FILE = "topology.json"


@dataclass
class Topology:
    state: Path
    base_port: int
    replicas: int
    action_servers: int
    run: str
    env: dict[str, str] = field(default_factory=dict)
    pids: dict[str, int] = field(default_factory=dict)
    databases: dict[str, str] = field(default_factory=dict)

    # --- addresses --------------------------------------------------------------------
    @property
    def url(self) -> str:
        """nginx in front of the rasa replicas: what Meta (and a load generator) calls."""
        return f"http://127.0.0.1:{self.base_port}"

    def replica_port(self, i: int) -> int:
        return self.base_port + 1 + i

    def action_port(self, i: int) -> int:
        return self.base_port + 51 + i

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.base_port + 50}/webhook"

    @property
    def emulator_url(self) -> str:
        return f"http://127.0.0.1:{self.base_port + 71}"

    @property
    def bot_store_url(self) -> str:
        return self.databases["bot"]

    def replica_names(self) -> list[str]:
        return [f"rasa-{i + 1}" for i in range(self.replicas)]

    # --- persistence (so `down` in another process stops what `up` started) -----------
    def save(self) -> None:
        data = {
            "state": str(self.state),
            "base_port": self.base_port,
            "replicas": self.replicas,
            "action_servers": self.action_servers,
            "run": self.run,
            "pids": self.pids,
            "databases": self.databases,
        }
        (self.state / STATE_FILE).write_text(json.dumps(data, indent=1))

    @classmethod
    def load(cls, state: Path) -> Topology:
        data = json.loads((state / STATE_FILE).read_text())
        topo = cls(
            Path(data["state"]),
            data["base_port"],
            data["replicas"],
            data["action_servers"],
            data["run"],
            pids={k: int(v) for k, v in data["pids"].items()},
            databases=data["databases"],
        )
        return topo


def _free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is free
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _spawn(topo: Topology, name: str, cmd: list[str], env: dict[str, str]) -> int:
    log = open(topo.state / "log" / f"{name}.log", "ab")
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    topo.pids[name] = proc.pid
    topo.save()
    return proc.pid


def _wait(topo: Topology, name: str, url: str, timeout: float = 300) -> None:
    end = time.monotonic() + timeout
    pid = topo.pids[name]
    while time.monotonic() < end:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        if not process_alive(pid):
            tail = (topo.state / "log" / f"{name}.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{name} exited during start-up:\n{tail}")
        time.sleep(0.5)
    raise RuntimeError(f"{name}: no answer at {url} after {timeout:.0f} s")


def rasa_command(topo: Topology, i: int, credentials: Path) -> list[str]:
    return [
        str(RASA),
        "run",
        "--model",
        str(MODEL),
        "--interface",
        "127.0.0.1",
        "--port",
        str(topo.replica_port(i)),
        "--endpoints",
        "endpoints.production.yml",
        "--credentials",
        str(credentials),
        "--enable-api",
        # one argument: a token may begin with "-", which argparse would take for an option
        f"--auth-token={topo.env['SATHI_RASA_API_TOKEN']}",
    ]


def start_replica(topo: Topology, i: int, wait: bool = True) -> None:
    """(Re)start rasa replica i on its own port."""
    name = f"rasa-{i + 1}"
    env = dict(topo.env, SATHI_RASA_PORT=str(topo.replica_port(i)))
    _spawn(topo, name, rasa_command(topo, i, topo.state / "credentials.yml"), env)
    if wait:
        _wait(topo, name, f"http://127.0.0.1:{topo.replica_port(i)}/webhooks/whatsapp/")


def kill_replica(topo: Topology, i: int) -> int:
    """kill -9 replica i (the whole process group): what a crashed node looks like."""
    pid = topo.pids[f"rasa-{i + 1}"]
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    return pid


def pause_replica(topo: Topology, i: int) -> None:
    """SIGSTOP replica i (its process group): it holds its connections but does nothing, so
    a test knows which replica holds what it has just claimed."""
    os.killpg(topo.pids[f"rasa-{i + 1}"], signal.SIGSTOP)


def resume_replica(topo: Topology, i: int) -> None:
    os.killpg(topo.pids[f"rasa-{i + 1}"], signal.SIGCONT)


def replica_alive(topo: Topology, i: int) -> bool:
    return process_alive(topo.pids[f"rasa-{i + 1}"])


def start(
    replicas: int = 1,
    action_servers: int = 1,
    base_port: int | None = None,
    rest: bool = True,
    extra_env: dict[str, str] | None = None,
    state: Path | None = None,
    statuses: bool = False,
) -> Topology:
    """`statuses`: the Graph emulator posts Meta's delivery statuses (sent, delivered, read)
    of every message it accepts to the WhatsApp webhook, through nginx, as Meta does."""
    if not MODEL.exists():
        raise RuntimeError("no trained model: run `make train` first")
    base_port = base_port or settings().scale_port_base
    run = uuid.uuid4().hex[:8]
    state = state or ROOT / "var" / "scale"
    if (state / STATE_FILE).exists():
        stop(Topology.load(state))
    shutil.rmtree(state, ignore_errors=True)
    for sub in ("data", "log", "run", "nginx"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    topo = Topology(state, base_port, replicas, action_servers, run)
    ports = [base_port, base_port + 50, base_port + 70, base_port + 71]
    ports += [topo.replica_port(i) for i in range(replicas)]
    ports += [topo.action_port(i) for i in range(action_servers)]
    busy = [p for p in ports if not _free(p)]
    if busy:
        raise RuntimeError(f"ports in use: {busy} (another topology? `python -m tools.scale down`)")
    nginx = ensure_nginx()
    admin, server_url = stores.admin_connection()
    try:
        for role in ("tracker", "bot", "portal"):
            name = f"sathi_scale_{run}_{role}"
            topo.databases[role] = stores.create_database(admin, server_url, name)
            topo.save()
    finally:
        admin.close()
    topo.env = process_environment(topo, extra_env)
    (state / "env.json").write_text(
        json.dumps({k: v for k, v in topo.env.items() if k.startswith(("SATHI_", "WHATSAPP_"))})
    )
    os.chmod(state / "env.json", 0o600)
    (state / "credentials.yml").write_text(credentials_file(rest))
    try:
        init = subprocess.run(
            [str(PY), "-m", "portal_backend", "init-demo"],
            cwd=ROOT,
            env=topo.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if init.returncode:
            raise RuntimeError(f"init-demo failed: {init.stderr[-2000:]}")
        _spawn(
            topo,
            "portal",
            [
                str(PY),
                "-m",
                "portal_backend",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(base_port + 70),
            ],
            topo.env,
        )
        _spawn(
            topo,
            "graph-emulator",
            [
                str(PY),
                "-m",
                "tools.graph_emulator",
                "--host",
                "127.0.0.1",
                "--port",
                str(base_port + 71),
                *(
                    ["--status-webhook", f"{topo.url}/webhooks/whatsapp/webhook"]
                    if statuses
                    else []
                ),
            ],
            topo.env,
        )
        (state / "nginx.conf").write_text(
            nginx_config(
                state,
                base_port,
                [topo.replica_port(i) for i in range(replicas)],
                base_port + 50,
                [topo.action_port(i) for i in range(action_servers)],
            )
        )
        _spawn(
            topo,
            "nginx",
            [nginx, "-p", str(state), "-c", str(state / "nginx.conf"), "-g", "daemon off;"],
            topo.env,
        )
        for i in range(action_servers):
            name = f"actions-{i + 1}"
            _spawn(
                topo,
                name,
                [
                    str(PY),
                    "-m",
                    "actions.server",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(topo.action_port(i)),
                ],
                topo.env,
            )
        _wait(topo, "portal", f"http://127.0.0.1:{base_port + 70}/api/v1/health")
        _wait(topo, "graph-emulator", f"{topo.emulator_url}/health")
        for i in range(action_servers):
            _wait(topo, f"actions-{i + 1}", f"http://127.0.0.1:{topo.action_port(i)}/health")
        # replicas one after the other: the first creates the tracker and bot store tables
        for i in range(replicas):
            start_replica(topo, i)
        _wait(topo, "nginx", f"{topo.url}/webhooks/whatsapp/", timeout=30)
    except BaseException:
        stop(topo)
        raise
    return topo


def stop(topo: Topology, drop_databases: bool = True) -> None:
    """Stop every process `start` spawned (by its pid / process group) and drop its databases."""
    order = sorted(topo.pids, key=lambda n: (not n.startswith("nginx"), not n.startswith("rasa")))
    for name in order:
        pid = topo.pids[name]
        try:
            os.killpg(pid, signal.SIGTERM)
        except OSError:
            continue
    end = time.monotonic() + 15
    for name in order:
        pid = topo.pids[name]
        while process_alive(pid) and time.monotonic() < end:
            time.sleep(0.2)
        if process_alive(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.waitpid(pid, os.WNOHANG)
        except (ChildProcessError, OSError):
            pass
    topo.pids.clear()
    if drop_databases and topo.databases:
        try:
            stores.drop_databases(topo.databases.values())
            topo.databases.clear()
        except Exception as exc:  # reported, never hides the result
            print(f"could not drop the topology's databases: {exc}", file=sys.stderr)
    stores.forget_redis_keys()
    if topo.state.exists():
        topo.save()
