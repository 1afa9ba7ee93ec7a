"""The topology's own data stores: a PostgreSQL database per role (tracker store, bot store,
portal) made for each run and dropped after it, and the keys it leaves in its Redis database.
tools/scale/topology.py makes and drops them as it starts and stops the processes.
"""

from __future__ import annotations

from collections.abc import Iterable

from sathi.settings import settings

POSTGRES_URL = settings().scale_postgres_url
REDIS_URL = settings().scale_redis_url


def pg_connect(url: str, default_database: str | None = None, **options):
    """A psycopg2 connection to the PostgreSQL database a SQLAlchemy URL names (loopback and
    the `postgres` role when the URL leaves them out)."""
    import psycopg2
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return psycopg2.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        password=u.password or None,
        dbname=u.database or default_database,
        **options,
    )


def admin_connection():
    """An autocommit connection to the server's `postgres` database, and the server's URL."""
    from sqlalchemy.engine import make_url

    conn = pg_connect(POSTGRES_URL, "postgres", connect_timeout=3)
    conn.autocommit = True
    return conn, make_url(POSTGRES_URL)


def create_database(admin, server_url, name: str) -> str:
    """CREATE DATABASE `name` through `admin`; its URL on the server of `server_url`."""
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    return server_url.set(drivername="postgresql", database=name).render_as_string(
        hide_password=False
    )


def drop_database(admin, name: str) -> None:
    """End every session on database `name` and drop it, through the autocommit connection
    `admin` (tests/production/conftest.py drops its test databases with it too)."""
    with admin.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')


def drop_databases(urls: Iterable[str]) -> None:
    """End every session on each of these databases and drop it."""
    admin, _ = admin_connection()
    for url in urls:
        drop_database(admin, url.rsplit("/", 1)[-1])
    admin.close()


def forget_redis_keys() -> None:
    """Delete the `sathi*` keys of the topology's Redis database (quietly: a stop never fails
    on it)."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_timeout=3)
        for key in client.scan_iter(match="sathi*", count=500):
            client.delete(key)
        client.close()
    except Exception:
        pass
