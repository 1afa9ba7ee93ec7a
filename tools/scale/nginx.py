"""nginx for the one-machine production topology: installed with apt-get when missing, run
from a config file of its own under the topology's state folder (nothing system-wide)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


# One apt-get at a time across this machine's test workers (scripts/ensure-chromium.sh takes
# the same lock): two at once fail on apt's own locks.
APT_LOCK = Path("/var/lock/sathi-apt.lock")


def ensure_nginx() -> str:
    """nginx on this machine: installed with apt-get (non-interactive) when missing."""
    found = nginx_binary()
    if found:
        return found
    if not shutil.which("apt-get"):
        raise RuntimeError("nginx is missing and there is no apt-get to install it")
    import fcntl

    with APT_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return nginx_binary() or _install_nginx()


def _install_nginx() -> str:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # policy-rc.d may refuse to start the system's nginx: we never use that one anyway
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "nginx-light"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        if done.returncode and cmd[1] == "install":
            done = subprocess.run(
                ["apt-get", "install", "-y", "-qq", "nginx"],
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
    found = nginx_binary()
    if not found:
        raise RuntimeError(f"could not install nginx: {done.stderr[-500:]}")
    return found


def nginx_config(
    state: Path,
    listen_rasa: int,
    rasa_ports: list[int],
    listen_actions: int,
    action_ports: list[int],
) -> str:
    """Two least-connections upstreams: a request goes to the replica with the fewest open
    (a REST turn is open until answered, so: the shortest queue of turns; round robin sent
    every other turn to a replica still busy with a long one). The WhatsApp webhook may be
    retried on another replica after
    a connection error (the inbox is unique on the message id, so a retry is a duplicate that
    is dropped); other POSTs are never retried by nginx (a turn must not run twice)."""
    rasa = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in rasa_ports)
    actions = "\n".join(
        f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in action_ports
    )
    proxy = """proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;"""
    return f"""# written by tools/scale/topology.py: nothing here is system-wide
worker_processes 1;
pid {state}/run/nginx.pid;
error_log {state}/log/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
  access_log off;
  client_body_temp_path {state}/nginx/body;
  proxy_temp_path {state}/nginx/proxy;
  fastcgi_temp_path {state}/nginx/fastcgi;
  uwsgi_temp_path {state}/nginx/uwsgi;
  scgi_temp_path {state}/nginx/scgi;
  client_max_body_size 2m;
  client_body_buffer_size 1m;   # action server calls carry the tracker: keep them in memory
  upstream sathi_rasa {{
    least_conn;
{rasa}
    keepalive 64;
  }}
  upstream sathi_actions {{
    least_conn;
{actions}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{listen_rasa};
    location /webhooks/whatsapp/ {{
      proxy_pass http://sathi_rasa;
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      {proxy}
    }}
    location / {{
      proxy_pass http://sathi_rasa;
      proxy_next_upstream error http_502;
      {proxy}
    }}
  }}
  server {{
    listen 127.0.0.1:{listen_actions};
    location / {{
      proxy_pass http://sathi_actions;
      proxy_next_upstream error http_502;
      {proxy}
    }}
  }}
}}
"""
