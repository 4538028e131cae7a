#!/usr/bin/env python3
"""crm_plus developer commands: ``run``, ``test`` and ``setup``.

Standard library only: this file must be able to explain what is missing
(Odoo, PostgreSQL, Python packages) before any of it is importable.

    python3 scripts/crmplus.py run     # local Odoo with the three addons and demo data
    python3 scripts/crmplus.py test    # every check, on a throwaway database
"""

import argparse
import configparser
import errno
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import crmplus_env  # the environment and Odoo source helpers, beside this file
from crmplus_env import Abort, say

ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = ROOT / "addons"
ADDONS = ["crm_plus", "crm_plus_service", "crm_plus_reports"]
# installed next to the addons in the test database only (not dependencies): hr, so that the sales
# managers' department scope is tested with real departments
TEST_EXTRA_MODULES = ["hr"]
CONF = ROOT / "odoo.conf"
DATA_DIR = ROOT / ".odoo-data"
LOG_DIR = ROOT / ".logs"
PY = sys.executable

DEBIAN_PACKAGES = {
    # package: why
    "libpq-dev": "builds psycopg2",
    "libldap2-dev": "builds python-ldap",
    "libsasl2-dev": "builds python-ldap",
    "chromium": "headless browser for HttpCase tours",
    "fonts-noto-cjk": "Chinese glyphs in PDF reports and screenshots",
    "wkhtmltopdf": "the PDF engine of Odoo's reports",
    "poppler-utils": "pdftotext, to read the PDFs back in tests",
    "python3-venv": "the project's virtual environment (.venv/)",
    "git": "fetches the Odoo source when the machine has none",
}

# the demo users work in 上海云帆科技有限公司 (CNY), in Chinese; admin can switch to it (company switcher)
DEMO_LOGINS = [
    ("admin", "admin", "Administrator"),
    ("sales", "sales", "Sales user (李娜)"),
    ("sales2", "sales2", "Sales user (张敏)"),
    ("leader", "leader", "Sales team leader"),
    ("manager", "manager", "Sales manager"),
    ("finance", "finance", "Finance user"),
    ("steward", "steward", "Data steward"),
    ("agent", "agent", "Service agent"),
    ("agent2", "agent2", "Service agent"),
    ("service_manager", "service_manager", "Service manager"),
    ("huaxin_portal", "huaxin_portal", "Customer portal (王芳, 上海华信)"),
]

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>\S+): (?P<msg>.*)$"
)
TEST_LOGGER = re.compile(r"^odoo\.addons\.(?P<module>[a-z0-9_]+)\.tests\b")
# Odoo's loader logs this (a WARNING) and goes on without the module's demo data
DEMO_FAILED = "demo data failed to install"
FAIL_MSG = re.compile(r"^(?P<kind>FAIL|ERROR): (?:Subtest )?(?P<test>[\w.]+)")


# ---------------------------------------------------------------------------
# set-up of a fresh machine
# ---------------------------------------------------------------------------

def _is_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _apt_install(packages):
    if not packages:
        return
    if not shutil.which("apt-get"):
        raise Abort("Missing system packages %s and no apt-get here: install them by hand." % ", ".join(packages))
    prefix = [] if _is_root() else ["sudo"]
    say("setup: installing Debian packages: %s" % " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", *packages], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def ensure_debian_packages():
    if not shutil.which("dpkg-query"):
        return
    missing = []
    for pkg in DEBIAN_PACKAGES:
        res = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True, check=False)
        if "install ok installed" not in res.stdout:
            missing.append(pkg)
    _apt_install(missing)


NO_ODOO = """\
Odoo 18.0 was not found.

Setup finds it by itself (importable, ODOO_SRC, the machine's own Python, else fetched from
CRM_PLUS_ODOO_SOURCE into ~/.cache/crm_plus): run  python3 scripts/crmplus.py setup  first,
or  export ODOO_SRC=/path/to/odoo  (the folder holding odoo-bin).
"""


def ensure_environment(argv, script=__file__):
    """Debian packages, the virtual environment with the pins, Odoo wired into it; then run ``script``
    again inside that environment (os.execve). Returns only when already inside it."""
    if os.environ.get("CRM_PLUS_IN_ENV") == "1":
        return
    ensure_debian_packages()
    python, managed = crmplus_env.target_python()
    crmplus_env.ensure_pins(python, LOG_DIR / "setup-pip.log")
    env = crmplus_env.wire_odoo(python, managed, crmplus_env.resolve_odoo(python), dict(os.environ))
    env["CRM_PLUS_IN_ENV"] = "1"
    sys.stdout.flush()
    os.execve(python, [python, str(script), *argv], env)


def find_odoo():
    """Return (env, odoo_root) for subprocesses that import odoo, or raise Abort."""
    env = dict(os.environ)
    probe = ("import odoo.release as r, os; print(r.version_info[0]); "
             "print(os.path.dirname(os.path.dirname(r.__file__)))")
    src = os.environ.get("ODOO_SRC")
    if src:
        src = os.path.abspath(os.path.expanduser(src))
        if not (Path(src) / "odoo" / "__init__.py").is_file():
            raise Abort(NO_ODOO + "\nODOO_SRC=%s does not contain odoo/__init__.py." % src)
        env["PYTHONPATH"] = os.pathsep.join(p for p in [src, env.get("PYTHONPATH")] if p)
    res = subprocess.run([PY, "-c", probe], capture_output=True, text=True, env=env, cwd="/", check=False)
    if res.returncode != 0:
        raise Abort(NO_ODOO)
    major, root = res.stdout.split()
    if major != "18":
        raise Abort("Found Odoo %s at %s, but crm_plus needs Odoo 18.0.\n\n%s" % (major, root, NO_ODOO))
    return env, Path(root)


def addons_path(odoo_root):
    paths = []
    for cand in (odoo_root / "addons", odoo_root / "odoo" / "addons"):
        if (cand / "web" / "__manifest__.py").is_file() and str(cand) not in paths:
            paths.append(str(cand))
    if not paths:
        raise Abort("Odoo at %s has no addons folder with 'web' in it: is it a complete 18.0 tree?" % odoo_root)
    return ",".join([str(ADDONS_DIR), *paths])


# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------

def db_params():
    cp = configparser.ConfigParser()
    cp.read(CONF)
    opts = cp["options"] if cp.has_section("options") else {}

    def opt(key, env_key, default):
        val = os.environ.get(env_key) or opts.get(key) or default
        return None if val in ("False", "") else val

    return {
        "host": opt("db_host", "PGHOST", "127.0.0.1"),
        "port": opt("db_port", "PGPORT", "5432"),
        "user": opt("db_user", "PGUSER", None),
        "password": opt("db_password", "PGPASSWORD", None),
    }


def _pg_connect(params, dbname="postgres"):
    import psycopg2

    kw = {k: v for k, v in params.items() if v}
    return psycopg2.connect(dbname=dbname, connect_timeout=3, **kw)


def _pg_error(params):
    """None when PostgreSQL accepts us, else the first line of the connection error."""
    try:
        _pg_connect(params).close()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not usable yet"
        return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _pg_ok(params):
    return _pg_error(params) is None


def _local(host):
    return host in (None, "", "localhost", "127.0.0.1", "::1") or str(host).startswith("/")


def _where(params):
    return "%s:%s" % (params["host"] or "(socket)", params["port"])


NOTHING_LISTENS = ("Connection refused", "No such file or directory", "could not connect to server")


def _clusters():
    """[(version, name, port, status)] of the local Debian clusters."""
    if not shutil.which("pg_lsclusters"):
        return []
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False).stdout
    return [tuple(c.split()[:4]) for c in out.splitlines() if len(c.split()) >= 4]


def ensure_postgres():
    """Make sure a PostgreSQL server answers; start or install the local one if not."""
    params = db_params()
    error = _pg_error(params)
    if error is None:
        return params
    refused = "PostgreSQL at %s refuses the connection: %s\n" % (_where(params), error)
    if not any(s in error for s in NOTHING_LISTENS) and "role" not in error:
        # a server answers but says no (password, pg_hba.conf): nothing to start, the settings are wrong
        raise Abort(refused + "Check db_user/db_password in odoo.conf or PGUSER/PGPASSWORD (and pg_hba.conf).")
    if not _local(params["host"]):
        raise Abort(refused + "Start it, or point odoo.conf (db_host/db_port) or PGHOST/PGPORT at a running one.")
    clusters = _clusters()
    if clusters and not any(c[2] == str(params["port"]) for c in clusters) and "role" not in error:
        raise Abort(refused + "No local cluster uses port %s (%s): set PGPORT or db_port in odoo.conf to one of "
                    "theirs." % (params["port"], ", ".join("%s/%s on %s" % c[:3] for c in clusters)))
    say("setup: PostgreSQL does not answer on %s, starting the local server" % _where(params))
    if not shutil.which("pg_ctlcluster"):
        _apt_install(["postgresql"])
        clusters = _clusters()
    if not clusters:
        versions = sorted(os.listdir("/usr/lib/postgresql"))
        subprocess.run(["pg_createcluster", versions[-1], "main", "--start"], check=True)
    else:
        for c in clusters:
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", c[0], c[1], "start"], check=False)
    user = params["user"] or os.environ.get("USER") or "root"
    for _i in range(30):
        if _pg_ok(params):
            return params
        socket_params = dict(params, host=None, password=None)
        if _pg_ok(socket_params):
            return socket_params
        # a fresh cluster has no role for us yet: create it as the postgres superuser
        subprocess.run(["su", "postgres", "-c", "createuser -s %s" % user], capture_output=True, check=False)
        time.sleep(1)
    raise Abort("Could not start PostgreSQL on %s (%s); see `pg_lsclusters` and the server log."
                % (_where(params), _pg_error(params)))


def db_args(params):
    args = []
    flags = (("host", "--db_host"), ("port", "--db_port"), ("user", "--db_user"), ("password", "--db_password"))
    for key, flag in flags:
        if params.get(key):
            args.append("%s=%s" % (flag, params[key]))
    if not params.get("host"):
        args.append("--db_host=")
    return args


def drop_database(params, name):
    conn = _pg_connect(params)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        cr.execute('DROP DATABASE IF EXISTS "%s"' % name.replace('"', ""))
    conn.close()


def database_has_addons(params, name):
    try:
        conn = _pg_connect(params, name)
    except Exception:  # noqa: BLE001 - database missing
        return False
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT count(*) FROM ir_module_module WHERE name = ANY(%s) AND state = 'installed'",
                       (ADDONS,))
            return cr.fetchone()[0] == len(ADDONS)
    except Exception:  # noqa: BLE001 - not an Odoo database
        return False
    finally:
        conn.close()


def database_odoo_version(params, name):
    """The version of Odoo's ``base`` in database ``name`` ('18.0.1.3'), or None (no such database,
    or not an Odoo database)."""
    try:
        conn = _pg_connect(params, name)
    except Exception:  # noqa: BLE001 - database missing
        return None
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
            if not cr.fetchone()[0]:
                return None
            cr.execute("SELECT latest_version FROM ir_module_module WHERE name = 'base'")
            row = cr.fetchone()
            return row[0] if row and row[0] else None
    finally:
        conn.close()


def check_database_version(params, name):
    version = database_odoo_version(params, name)
    if version and version.split(".")[0] != "18":
        raise Abort("run: database %r was created by Odoo %s (base %s); crm_plus runs on Odoo 18.0. "
                    "Use another database (--database NAME) or drop that one." % (name, version.split(".")[0], version))


def check_port_free(port, interface="127.0.0.1"):
    """Abort with one line when ``port`` is taken (instead of Odoo's traceback after the install)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((interface, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise Abort("run: port %d is already in use (another Odoo?); choose another one with --port N "
                            "(or CRM_PLUS_PORT)." % port) from None
            raise


# ---------------------------------------------------------------------------
# running Odoo
# ---------------------------------------------------------------------------

def odoo_cmd(odoo_root, params, db, *extra, command=()):
    return [PY, "-m", "odoo", *command, "-c", str(CONF), "--addons-path=%s" % addons_path(odoo_root),
            "--data-dir=%s" % DATA_DIR, "-d", db, "--db-filter=^%s$" % re.escape(db), *db_args(params), *extra]


def run_logged(cmd, env, log_path, echo=None):
    """Run an Odoo command, tee its log to a file, return (rc, lines)."""
    LOG_DIR.mkdir(exist_ok=True)
    lines = []
    with open(log_path, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                errors="replace")
        for line in proc.stdout:
            fh.write(line)
            lines.append(line.rstrip("\n"))
            if echo and echo(line):
                sys.stdout.write("    " + (line if len(line) < 400 else line[:400] + " [...]\n"))
                sys.stdout.flush()
        rc = proc.wait()
    return rc, lines


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3) as resp:
                if resp.status == 200:
                    return True
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(1)
    return False


# ---------------------------------------------------------------------------
# log analysis
# ---------------------------------------------------------------------------

class LogReport:
    """What an Odoo install/test log says: tests per addon, failures, skips, errors."""

    def __init__(self, lines, fk_retry_ok=False):
        """``fk_retry_ok``: uninstall deletes module records, and Odoo retries (after dropping the
        models) those a foreign key still references, probing whether they still exist. The refused
        DELETE and the probe of a dropped table are logged by odoo.sql_db as ERRORs that are part of
        that mechanism (ir.model.data._module_data_uninstall catches both), not failures."""
        self.started = defaultdict(set)
        self.failed = defaultdict(set)
        self.skipped = []
        self.errors = []
        self.warnings = []
        self.demo_failures = [line for line in lines if DEMO_FAILED in line]
        for i, line in enumerate(lines):
            if fk_retry_ok and "odoo.sql_db: bad query: b'" in line and any(
                    ("violates foreign key constraint" in nxt and "b'DELETE FROM" in line)
                    or ("does not exist" in nxt and "b'SELECT" in line and '"."id" IN (' in line)
                    for nxt in lines[i + 1:i + 3]):
                continue
            m = LOG_LINE.match(line)
            if not m:
                continue
            level, logger, msg = m.group("level"), m.group("logger"), m.group("msg")
            tm = TEST_LOGGER.match(logger)
            if tm and msg.startswith("Starting "):
                self.started[tm.group("module")].add(msg[len("Starting "):].rstrip(" .").strip())
            elif tm and msg.startswith("skipped "):
                self.skipped.append("%s: %s" % (tm.group("module"), msg))
            if level in ("ERROR", "CRITICAL"):
                fm = FAIL_MSG.match(msg)
                if tm and fm:
                    test = fm.group("test")
                    test = ".".join(test.split(".")[:2])
                    self.failed[tm.group("module")].add(test)
                else:
                    self.errors.append(line)
            elif level == "WARNING" and "crm_plus" in line:
                self.warnings.append(line)

    def counts(self, module):
        started = {t.split(" ")[0] for t in self.started.get(module, ())}
        failed = self.failed.get(module, set())
        return len(started - failed), len(failed)


# ---------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------

def cmd_setup(_args):
    env, root = find_odoo()
    params = ensure_postgres()
    say("setup: Python %s, Odoo 18 at %s, PostgreSQL at %s" % (PY, root, _where(params)))
    return env, root, params


def http_interface():
    cp = configparser.ConfigParser()
    cp.read(CONF)
    value = cp.get("options", "http_interface", fallback="") or ""
    return value if value not in ("", "False") else "0.0.0.0"


def cmd_run(args):
    env, root, params = cmd_setup(args)
    db = args.database
    check_port_free(args.port, http_interface())
    check_database_version(params, db)
    if database_has_addons(params, db):
        say("run: updating database %r" % db)
        step = ["-u", ",".join(ADDONS)]
    else:
        say("run: creating database %r with the three addons and demo data (a few minutes)" % db)
        step = ["-i", ",".join(ADDONS)]
    rc, lines = run_logged(odoo_cmd(root, params, db, *step, "--stop-after-init", "--no-http"), env,
                           LOG_DIR / "run-install.log",
                           echo=lambda line: " ERROR " in line or " CRITICAL " in line or DEMO_FAILED in line)
    report = LogReport(lines)
    if rc != 0 or report.errors or report.demo_failures:
        raise Abort("run: installing the addons failed, see %s" % (LOG_DIR / "run-install.log"))
    port = str(args.port)
    check_port_free(args.port, http_interface())  # may have been taken during the install
    say("")
    say("crm_plus is running at http://localhost:%s  (database %s, Ctrl+C to stop)" % (port, db))
    say("Demo logins (login / password):")
    for login, password, role in DEMO_LOGINS:
        say("  %-16s %-16s %s" % (login, password, role))
    say("")
    extra = []
    if args.workers:
        # prefork: N HTTP workers, a gevent worker for the live chat/bus on http_port + 1, cron threads
        extra = ["--workers=%d" % args.workers, "--max-cron-threads=%d" % args.cron_threads,
                 "--gevent-port=%d" % (args.port + 1)]
        say("run: prefork with %d workers and %d cron threads (long polling on port %d)"
            % (args.workers, args.cron_threads, args.port + 1))
    os.execvpe(PY, odoo_cmd(root, params, db, "--http-port=%s" % port, *extra), env)


def lint(env):
    """ruff and pylint-odoo's mandatory checks; returns (passed, failed, messages)."""
    results = []
    targets = ["addons", "bench", "scripts", "tests"]
    res = subprocess.run([PY, "-m", "ruff", "check", *targets], cwd=ROOT, capture_output=True, text=True, env=env,
                         check=False)
    results.append(("ruff", res.returncode == 0, res.stdout + res.stderr))
    res = subprocess.run([PY, "-m", "pylint", "--rcfile=.pylintrc-mandatory", *[str(ADDONS_DIR / a) for a in ADDONS]],
                         cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    results.append(("pylint-odoo", res.returncode == 0, res.stdout + res.stderr))
    return results


def cmd_lint(_args):
    """The lint step of the test command alone (the pre-commit hook runs this)."""
    failed = 0
    for name, ok, out in lint(dict(os.environ)):
        say("%s: %s" % (name, "ok" if ok else "errors"))
        if not ok:
            failed += 1
            say(out.rstrip())
    return 1 if failed else 0


UNINSTALL_SCRIPT = r"""
import sys
mods = %(addons)r
for name in reversed(mods):
    mod = env['ir.module.module'].search([('name', '=', name)])
    mod.button_immediate_uninstall()
    env.invalidate_all()
    state = env['ir.module.module'].search([('name', '=', name)]).state
    print('UNINSTALL %%s %%s' %% (name, state), flush=True)
env.cr.execute("SELECT count(*) FROM ir_model WHERE model LIKE 'crm_plus.%%%%'")
print('LEFTOVER_MODELS %%s' %% env.cr.fetchone()[0], flush=True)
env.cr.execute("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'crm\\_plus\\_%%%%'")
print('LEFTOVER_TABLES %%s' %% env.cr.fetchone()[0], flush=True)
"""


def cmd_test(args):
    env, root, params = cmd_setup(args)
    db = "crm_plus_test_%d" % os.getpid()
    try:
        return run_tests(dict(env, PYTHONUNBUFFERED="1"), root, params, db, args)
    finally:
        # whatever happened, the throwaway database goes (unless asked to keep it)
        if not args.keep_db:
            drop_database(params, db)


def run_tests(env, root, params, db, args):
    """Lint, install with tests, upgrade, repo-level checks, uninstall on ``db``; returns the exit code."""
    results = []  # (group, name, ok, detail)
    per_addon = {}
    t0 = time.time()

    def check(group, name, ok, detail=""):
        results.append((group, name, bool(ok), detail))
        if not ok:
            say("  FAILED %s / %s\n%s" % (group, name, "\n".join("    " + d for d in str(detail).splitlines()[-40:])))

    if not args.quick:
        say("== lint")
        for name, ok, out in lint(env):
            check("lint", name, ok, out)
            say("  %s: %s" % (name, "ok" if ok else "errors"))

    server = None
    try:
        say("== install with tests (database %s)" % db)
        tags = args.test_tags or ",".join("/%s" % a for a in ADDONS)
        rc, lines = run_logged(
            odoo_cmd(root, params, db, "-i", ",".join(ADDONS + TEST_EXTRA_MODULES), "--test-enable",
                     "--test-tags=%s" % tags,
                     "--stop-after-init", "--log-level=info", "--http-port=%d" % free_port()),
            env, LOG_DIR / ("%s-install.log" % db),
            echo=lambda line: (" ERROR " in line or " CRITICAL " in line or "odoo.tests.stats" in line
                               or "tests when loading" in line))
        report = LogReport(lines)
        for addon in ADDONS:
            passed, failed = report.counts(addon)
            per_addon[addon] = (passed, failed)
            check("install", "%s installs with its tests" % addon, any(
                re.search(r"Loading module %s \(" % addon, line) for line in lines), "module never loaded")
        check("install", "exit code 0", rc == 0, "odoo exited with %s" % rc)
        check("install", "no ERROR/CRITICAL in the install log", not report.errors,
              "\n".join(e[:400] for e in report.errors[:20]))
        check("install", "no skipped test", not report.skipped, "\n".join(report.skipped))
        check("install", "no crm_plus warning in the log", not report.warnings, "\n".join(report.warnings[:20]))
        check("install", "demo data installs", not report.demo_failures, "\n".join(report.demo_failures))

        if args.quick:
            return finish(results, per_addon, t0, db, args)

        say("== upgrade (-u)")
        rc, lines = run_logged(odoo_cmd(root, params, db, "-u", ",".join(ADDONS), "--stop-after-init",
                                        "--no-http"), env,
                               LOG_DIR / ("%s-upgrade.log" % db),
                               echo=lambda line: " ERROR " in line or " CRITICAL " in line)
        up = LogReport(lines)
        check("lifecycle", "upgrade of the three addons", rc == 0 and not up.errors and not up.warnings,
              "\n".join(up.errors + up.warnings))

        say("== repo-level checks against a running server (tests/)")
        port = free_port()
        server = subprocess.Popen(odoo_cmd(root, params, db, "--http-port=%d" % port, "--http-interface=127.0.0.1",
                                           "--max-cron-threads=0", "--workers=0"),
                                  env=env, cwd=ROOT, stdout=open(LOG_DIR / ("%s-server.log" % db), "w"),
                                  stderr=subprocess.STDOUT, start_new_session=True)
        up_ok = wait_http("http://127.0.0.1:%d/web/health" % port)
        check("server", "server answers /web/health", up_ok, "see .logs/%s-server.log" % db)
        junit = LOG_DIR / "repo-tests.xml"
        res = subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", "--junitxml=%s" % junit],
                             cwd=ROOT, env=dict(env, CRM_PLUS_URL="http://127.0.0.1:%d" % port, CRM_PLUS_DB=db),
                             capture_output=True, text=True, check=False)
        sys.stdout.write("".join("    " + ln + "\n" for ln in res.stdout.splitlines()[-15:]))
        try:
            suite = ET.parse(junit).getroot()
            suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
            total, fails = int(suite.get("tests")), int(suite.get("failures")) + int(suite.get("errors"))
            skips = int(suite.get("skipped"))
        except (ET.ParseError, FileNotFoundError, TypeError):
            total, fails, skips = 0, 1, 0
        per_addon["tests/ (RPC)"] = (total - fails - skips, fails + skips)
        check("server", "pytest exit code", res.returncode == 0 and total > 0,
              res.stdout[-3000:] + res.stderr[-2000:])
    finally:
        if server:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)

    say("== install with demo data on an English database (no --load-language)")
    en_db = db + "_en"
    try:
        rc, lines = run_logged(odoo_cmd(root, params, en_db, "-i", ",".join(ADDONS), "--load-language=",
                                        "--stop-after-init", "--no-http"), env, LOG_DIR / ("%s-install.log" % en_db),
                               echo=lambda line: " ERROR " in line or " CRITICAL " in line or DEMO_FAILED in line)
        en = LogReport(lines)
        check("lifecycle", "demo data installs on an English database", rc == 0 and not en.errors
              and not en.demo_failures, "\n".join(en.errors + en.demo_failures) or "odoo exited with %s" % rc)
    finally:
        drop_database(params, en_db)

    say("== uninstall")
    script = UNINSTALL_SCRIPT % {"addons": ADDONS}
    res = subprocess.run(odoo_cmd(root, params, db, "--no-http", command=["shell"]),
                         input=script, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    (LOG_DIR / ("%s-uninstall.log" % db)).write_text(res.stdout + res.stderr)
    states = dict(re.findall(r"^UNINSTALL (\S+) (\S+)$", res.stdout, re.M))
    for addon in ADDONS:
        check("lifecycle", "uninstall %s" % addon, states.get(addon) == "uninstalled",
              res.stdout[-1500:] + res.stderr[-3000:])
    leftovers = re.findall(r"^LEFTOVER_(MODELS|TABLES) (\d+)$", res.stdout, re.M)
    check("lifecycle", "uninstall leaves no crm_plus model or table",
          leftovers and all(n == "0" for _k, n in leftovers), str(leftovers))
    unin = LogReport((res.stdout + res.stderr).splitlines(), fk_retry_ok=True)
    check("lifecycle", "uninstall log has no ERROR/CRITICAL", not unin.errors, "\n".join(unin.errors[:20]))

    return finish(results, per_addon, t0, db, args)


def finish(results, per_addon, t0, db, args):
    """Print counts per addon and per check group, then the closing line."""
    say("")
    say("== results (%.0f s)" % (time.time() - t0))
    passed = failed = 0
    for addon, (p, f) in per_addon.items():
        say("  %-22s %d passed, %d failed" % (addon, p, f))
        passed, failed = passed + p, failed + f
    groups = defaultdict(lambda: [0, 0])
    for group, _name, ok, _d in results:
        groups[group][0 if ok else 1] += 1
    for group, (p, f) in groups.items():
        say("  %-22s %d passed, %d failed" % ("checks: " + group, p, f))
        passed, failed = passed + p, failed + f
    if not args.keep_db:
        say("  (database %s dropped)" % db)
    (LOG_DIR / "test-summary.json").write_text(json.dumps({"per_addon": per_addon, "checks": results}, indent=1))
    say("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def merge_po(pot_path, po_path, lang):
    """Merge a fresh .pot into a .po: new terms added empty, translations kept, obsolete terms dropped."""
    import polib  # available once setup has installed requirements.txt

    pot = polib.pofile(str(pot_path))
    po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    po.metadata = dict(pot.metadata, Language=lang, **{"Plural-Forms": "nplurals=1; plural=0;"})
    po.merge(pot)
    po[:] = [entry for entry in po if not entry.obsolete]
    po.save(str(po_path))
    say("%s: %d terms, %d untranslated" % (po_path.relative_to(ROOT), len(po), len(po.untranslated_entries())))


def cmd_i18n(args):
    """Export each addon's .pot from a scratch database and merge it into i18n/zh_CN.po (keeps translations)."""
    env, root, params = cmd_setup(args)
    db = "crm_plus_i18n_%d" % os.getpid()
    try:
        rc, lines = run_logged(odoo_cmd(root, params, db, "-i", ",".join(ADDONS), "--without-demo=all",
                                        "--stop-after-init", "--load-language="), env, LOG_DIR / "i18n-install.log")
        if rc or LogReport(lines).errors:
            raise Abort("i18n: install failed, see .logs/i18n-install.log")
        for addon in ADDONS:
            pot = ADDONS_DIR / addon / "i18n" / ("%s.pot" % addon)
            pot.parent.mkdir(exist_ok=True)
            subprocess.run(odoo_cmd(root, params, db, "--i18n-export=%s" % pot, "--modules=%s" % addon,
                                    "--stop-after-init", "--log-level=warn"), env=env, check=True)
            merge_po(pot, pot.parent / "zh_CN.po", "zh_CN")
    finally:
        drop_database(params, db)
    return 0


def cmd_readme(_args):
    """Assemble each addon's README.rst from its readme/ fragments (DESCRIPTION, CONFIGURE, USAGE)."""
    for addon in ADDONS:
        folder = ADDONS_DIR / addon
        title = re.search(r'"name":\s*"([^"]+)"', (folder / "__manifest__.py").read_text()).group(1)
        parts = ["=" * len(title), title, "=" * len(title), ""]
        for fragment, heading in (("DESCRIPTION.md", None), ("CONFIGURE.md", "Configuration"),
                                  ("USAGE.md", "Usage")):
            path = folder / "readme" / fragment
            if path.exists():
                if heading:
                    parts += [heading, "=" * len(heading), ""]
                parts += [path.read_text().strip(), ""]
        parts += ["Part of crm_plus; see the repository README and docs/.", ""]
        (folder / "README.rst").write_text("\n".join(parts))
        say("%s/README.rst" % folder.relative_to(ROOT))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="local Odoo with the three addons and demo data on http://localhost:8069")
    p_run.add_argument("--database", "-d", default=os.environ.get("CRM_PLUS_DB", "crm_plus"))
    p_run.add_argument("--port", type=int, default=int(os.environ.get("CRM_PLUS_PORT", "8069")))
    p_run.add_argument("--workers", type=int, default=int(os.environ.get("CRM_PLUS_WORKERS", "0")),
                       help="prefork with N HTTP workers (default 0: one threaded process); see docs/deployment.md")
    p_run.add_argument("--cron-threads", type=int, default=2, help="cron workers next to --workers (default 2)")
    p_test = sub.add_parser("test", help="lint, install with tests, upgrade, RPC checks, uninstall; throwaway database")
    p_test.add_argument("--keep-db", action="store_true", help="keep the test database for inspection")
    p_test.add_argument("--quick", action="store_true",
                        help="development loop: install with tests only (no lint, upgrade, RPC or uninstall)")
    p_test.add_argument("--test-tags", help="Odoo --test-tags value, e.g. /crm_plus:TestRoles (default: the addons)")
    sub.add_parser("setup", help="install what this machine lacks and check Odoo and PostgreSQL")
    sub.add_parser("i18n", help="regenerate each addon's .pot and merge it into i18n/zh_CN.po")
    sub.add_parser("readme", help="assemble each addon's README.rst from its readme/ fragments")
    sub.add_parser("lint", help="the test command's lint step alone: ruff and pylint-odoo (the pre-commit hook)")
    args = parser.parse_args(argv)
    try:
        if args.command != "readme":
            ensure_environment(sys.argv[1:] if argv is None else argv)
        if args.command == "run":
            return cmd_run(args)
        if args.command == "test":
            return cmd_test(args)
        if args.command == "i18n":
            return cmd_i18n(args)
        if args.command == "readme":
            return cmd_readme(args)
        if args.command == "lint":
            return cmd_lint(args)
        cmd_setup(args)
        return 0
    except Abort as exc:
        say(str(exc))
        return 2
    except subprocess.CalledProcessError as exc:
        say("setup step failed: %s" % " ".join(map(str, exc.cmd)))
        return 2


if __name__ == "__main__":
    sys.exit(main())
