"""A throwaway PostgreSQL database for the load benchmark on this machine."""

import subprocess
import time
import uuid
from dataclasses import dataclass

import psycopg

ROLE = "bas_dev"
HOST = "127.0.0.1"
PORT = 5432


@dataclass(frozen=True)
class Database:
    name: str

    @property
    def url(self) -> str:
        return f"postgres://{ROLE}:{ROLE}@{HOST}:{PORT}/{self.name}"


def _as_postgres(sql: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-q", "-v", "ON_ERROR_STOP=1",
                    "-c", sql], check=True, capture_output=True)


def postgres_ready(version: str = "15") -> None:
    """Start the cluster if it is down and make sure the bas_dev role (CREATEDB) exists."""
    if subprocess.run(["pg_isready", "-q", "-h", HOST]).returncode != 0:
        subprocess.run(["pg_ctlcluster", version, "main", "start"], check=False)
        for _ in range(30):
            if subprocess.run(["pg_isready", "-q", "-h", HOST]).returncode == 0:
                break
            time.sleep(1)
        else:
            raise SystemExit(f"PostgreSQL did not start (pg_ctlcluster {version} main start)")
    try:
        psycopg.connect(_admin_dsn(), connect_timeout=5).close()
    except psycopg.OperationalError:
        _as_postgres(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}')"
                     f" THEN CREATE ROLE {ROLE} LOGIN PASSWORD '{ROLE}' CREATEDB; END IF; END $$;")


def _admin_dsn() -> str:
    return f"postgresql://{ROLE}:{ROLE}@{HOST}:{PORT}/postgres"


def database_create() -> Database:
    database = Database(f"bas_load_{uuid.uuid4().hex[:10]}")
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database.name}"')
    return database


def database_drop(database: Database) -> None:
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
