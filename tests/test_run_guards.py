"""`run` stops with one clear line, no traceback, when it cannot work: a busy port, a PostgreSQL that
refuses the connection, a database of another Odoo version. Runs the command itself; no server needed."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import crmplus  # noqa: E402 - standard library only


def _run(*args, **env):
    # already inside the project's environment: no re-exec, no package check
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "crmplus.py"), "run", *args],
                         env=dict(os.environ, CRM_PLUS_IN_ENV="1", **env), capture_output=True, text=True,
                         timeout=120, check=False)
    out = res.stdout + res.stderr
    assert "Traceback" not in out, out
    return res.returncode, out.strip().splitlines()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_busy_port():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        rc, lines = _run("--port", str(port), "--database", "crm_plus_guard_%d" % os.getpid())
    assert rc != 0
    assert "port %d is already in use" % port in lines[-1]
    assert "--port" in lines[-1]


def test_postgres_refusing_the_connection():
    port = _free_port()  # nothing listens there
    rc, lines = _run("--port", str(_free_port()), PGHOST="127.0.0.1", PGPORT=str(port))
    assert rc != 0
    text = "\n".join(lines)
    assert "PostgreSQL at 127.0.0.1:%d refuses the connection" % port in text
    assert "PGPORT" in text


@pytest.fixture
def old_database():
    params = crmplus.db_params()
    name = "crm_plus_guard_v17_%d" % os.getpid()
    crmplus.drop_database(params, name)
    conn = crmplus._pg_connect(params)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute('CREATE DATABASE "%s"' % name)
    conn.close()
    conn = crmplus._pg_connect(params, name)
    with conn, conn.cursor() as cr:
        cr.execute("CREATE TABLE ir_module_module (name varchar, latest_version varchar, state varchar)")
        cr.execute("INSERT INTO ir_module_module VALUES ('base', '17.0.1.3', 'installed')")
    conn.close()
    yield name
    crmplus.drop_database(params, name)


def test_database_of_another_odoo_version(old_database):
    assert crmplus.database_odoo_version(crmplus.db_params(), old_database) == "17.0.1.3"
    rc, lines = _run("--port", str(_free_port()), "--database", old_database)
    assert rc != 0
    assert "was created by Odoo 17 (base 17.0.1.3)" in lines[-1]
    assert "--database" in lines[-1]


def test_no_such_database_is_not_a_version_problem():
    assert crmplus.database_odoo_version(crmplus.db_params(), "crm_plus_guard_none_%d" % os.getpid()) is None
