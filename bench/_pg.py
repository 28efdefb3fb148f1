"""What the PostgreSQL benchmarks share: their own database, created on demand."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def ensure_database(url: str, *, drop: bool = False) -> None:
    """Create the database of ``url`` if it does not exist (``drop``: recreate it)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
