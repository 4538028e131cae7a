"""The Python environment and the Odoo source of crm_plus's commands (standard library only).

- ``target_python``: the interpreter every command runs in: ``CRM_PLUS_PYTHON`` (an existing
  environment, used as it is), else the virtualenv ``CRM_PLUS_VENV`` (default ``.venv/`` in the repo),
  created when missing; ``ensure_pins`` installs requirements.txt there unless already satisfied.
- ``resolve_odoo``: where Odoo 18.0 comes from: importable by that interpreter, ``ODOO_SRC``, the
  machine's own Python, else fetched by ``fetch_odoo`` from ``CRM_PLUS_ODOO_SOURCE`` (a local tree,
  a git repository or URL, or a tarball URL; default the official repository's 18.0 branch) into a
  cache folder outside the repo (``CRM_PLUS_CACHE``, default ``~/.cache/crm_plus``).
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
ODOO_MAJOR = 18
ODOO_BRANCH = "18.0"
DEFAULT_ODOO_SOURCE = "https://github.com/odoo/odoo"
PTH_NAME = "crm_plus_odoo.pth"
TARBALL = re.compile(r"\.(tar\.gz|tgz|tar\.xz|tar\.bz2|tar|zip)$")


class Abort(Exception):
    """A clear, expected failure: print the message, no traceback."""


def say(msg=""):
    print(msg, flush=True)


# ---------------------------------------------------------------------------
# the interpreter
# ---------------------------------------------------------------------------

def venv_dir():
    return Path(os.path.expanduser(os.environ.get("CRM_PLUS_VENV") or ROOT / ".venv")).absolute()


def venv_python(venv):
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def target_python(base_python=sys.executable):
    """Return (python, managed): ``managed`` when it is our own virtualenv (we may write a .pth in it)."""
    given = os.environ.get("CRM_PLUS_PYTHON")
    if given:
        python = shutil.which(os.path.expanduser(given))
        if not python:
            raise Abort("CRM_PLUS_PYTHON=%s is not an executable Python." % given)
        return python, False
    venv = venv_dir()
    python = venv_python(venv)
    if not python.exists():
        say("setup: creating the virtual environment %s" % venv)
        res = subprocess.run([base_python, "-m", "venv", str(venv)], capture_output=True, text=True, check=False)
        if res.returncode:
            raise Abort("setup: could not create the virtual environment %s:\n%s\n"
                        "Install Debian's python3-venv, or point CRM_PLUS_PYTHON at an existing environment."
                        % (venv, (res.stdout + res.stderr).strip()[-800:]))
    return str(python), True


def requirements(path=REQUIREMENTS):
    """[(name, pinned version or None)] of a requirements file, following ``-r``."""
    reqs = []
    for raw in path.read_text().splitlines():
        spec = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if not spec:
            continue
        if spec.startswith("-r "):
            reqs.extend(requirements(path.parent / spec[3:].strip()))
            continue
        m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(?:==\s*([^\s,]+))?", spec)
        if m:
            reqs.append((m.group(1), m.group(2)))
    return reqs


# run inside the target interpreter: prints one line per requirement it lacks
_PIN_PROBE = r"""
import json, re, sys
from importlib import metadata
norm = lambda s: re.sub(r"[-_.]+", "-", s).lower()
for name, version in json.loads(sys.argv[1]):
    try:
        have = metadata.version(name)
    except metadata.PackageNotFoundError:
        print("%s (missing)" % name)
        continue
    if version and norm(have) != norm(version):
        print("%s (%s installed, %s wanted)" % (name, have, version))
"""


def missing_pins(python, path=REQUIREMENTS):
    import json

    res = subprocess.run([python, "-c", _PIN_PROBE, json.dumps(requirements(path))], capture_output=True,
                         text=True, check=False, cwd="/")
    if res.returncode:
        return ["(could not inspect %s: %s)" % (python, res.stderr.strip()[-300:])]
    return res.stdout.splitlines()


def ensure_pins(python, log_path, path=REQUIREMENTS):
    """Install the pins of requirements.txt into ``python``'s environment unless they are all there."""
    missing = missing_pins(python, path)
    if not missing:
        return False
    say("setup: installing Python packages into %s (%s%s)" % (
        python, ", ".join(missing[:4]), " ..." if len(missing) > 4 else ""))
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        for cmd in ([python, "-m", "pip", "install", "setuptools<70", "wheel"],
                    [python, "-m", "pip", "install", "--no-build-isolation", "-r", str(path)]):
            log.write("$ %s\n" % " ".join(cmd))
            log.flush()
            if subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=False).returncode:
                tail = [ln for ln in log_path.read_text(errors="replace").splitlines()
                        if not ln.startswith("WARNING: Location")][-15:]
                raise Abort("setup: pip failed (full log: %s):\n%s" % (log_path, "\n".join(tail)))
    return True


# ---------------------------------------------------------------------------
# Odoo
# ---------------------------------------------------------------------------

# Locates the odoo package without importing it: a machine Python may hold the source on its path
# without Odoo's own requirements (they go into the virtual environment), so importing would fail.
_ODOO_PROBE = ("import importlib.util, os; s = importlib.util.find_spec('odoo'); "
               "print(os.path.dirname(os.path.abspath(list(s.submodule_search_locations)[0])) if s else '')")


def probe_odoo(python, env=None):
    """(major, root) of the odoo that ``python`` finds on its path, or None (its release.py is read)."""
    try:
        res = subprocess.run([python, "-c", _ODOO_PROBE], capture_output=True, text=True, env=env, cwd="/",
                             check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    root = res.stdout.strip()
    if res.returncode or not root:
        return None
    major = release_major(root)
    return (str(major), root) if major is not None else None


def release_major(tree):
    """The major version a source tree's odoo/release.py declares, or None (read, never imported)."""
    path = Path(tree) / "odoo" / "release.py"
    if not path.is_file():
        return None
    m = re.search(r"^version_info\s*=\s*\(\s*['\"]?(?:saas~)?(\d+)", path.read_text(errors="replace"), re.M)
    return int(m.group(1)) if m else None


def _check_tree(tree, source):
    major = release_major(tree)
    if major is None:
        raise Abort("%s is not an Odoo source tree (no odoo/release.py with version_info)." % source)
    if major != ODOO_MAJOR:
        raise Abort("%s holds Odoo %s, but crm_plus needs Odoo %s. Point CRM_PLUS_ODOO_SOURCE at an %s tree."
                    % (source, major, ODOO_BRANCH, ODOO_BRANCH))


def cache_dir():
    base = os.environ.get("CRM_PLUS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "crm_plus")
    return Path(base).absolute()


def _unreachable(source, detail):
    return Abort(
        "setup: could not get Odoo %(branch)s from %(source)s (%(detail)s).\n"
        "Odoo is not on any package index; give setup a copy it can reach, in one of these ways:\n"
        "  CRM_PLUS_ODOO_SOURCE=/path/to/odoo-18.0          (a source tree, a git clone or a .tar.gz)\n"
        "  CRM_PLUS_ODOO_SOURCE=https://host/odoo_18.0.tar.gz  (any git URL or source tarball URL)\n"
        "  ODOO_SRC=/path/to/odoo                            (use that tree in place)\n"
        "then run the command again." % {"branch": ODOO_BRANCH, "source": source, "detail": detail})


def _single_top(folder):
    entries = list(folder.iterdir())
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else folder


def _fetch_into(source, branch, dest):
    """Fetch ``source`` into the new folder ``dest`` (git clone, or download and unpack a tarball)."""
    local = Path(os.path.expanduser(source))
    if TARBALL.search(source):
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "odoo-src"
            if local.is_file():
                shutil.copyfile(local, archive)
            else:
                try:
                    with urllib.request.urlopen(source, timeout=60) as resp, open(archive, "wb") as out:
                        shutil.copyfileobj(resp, out)
                except (OSError, ValueError) as exc:
                    raise _unreachable(source, str(exc)) from None
            unpacked = Path(tmp) / "unpacked"
            try:
                if zipfile.is_zipfile(archive):
                    with zipfile.ZipFile(archive) as zf:
                        zf.extractall(unpacked)
                else:
                    with tarfile.open(archive) as tf:
                        tf.extractall(unpacked, filter="data")
            except (tarfile.TarError, zipfile.BadZipFile, OSError) as exc:
                raise Abort("setup: %s is not a readable source archive (%s)." % (source, exc)) from None
            shutil.move(str(_single_top(unpacked)), str(dest))
        return
    if not shutil.which("git"):
        raise _unreachable(source, "git is not installed; install it or use a tarball URL")
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")
    res = subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", branch, source, str(dest)],
                         capture_output=True, text=True, env=env, check=False)
    if res.returncode:
        detail = (res.stderr.strip().splitlines() or ["git clone failed"])[-1]
        raise _unreachable(source, detail)


def fetch_odoo(source=None, branch=None, cache=None):
    """A checked Odoo 18.0 tree from ``source``: a plain local tree is used in place; a git repository
    or URL, or a tarball, is fetched once into ``cache``/odoo-18.0 and reused from then on."""
    source = source or os.environ.get("CRM_PLUS_ODOO_SOURCE") or DEFAULT_ODOO_SOURCE
    branch = branch or os.environ.get("CRM_PLUS_ODOO_BRANCH") or ODOO_BRANCH
    local = Path(os.path.expanduser(source))
    if local.is_dir() and not (local / ".git").exists():
        _check_tree(local, source)
        return local.absolute()
    cache = Path(cache) if cache else cache_dir()
    dest = cache / ("odoo-%s" % branch)
    if release_major(dest) == ODOO_MAJOR:
        return dest
    if dest.exists():
        shutil.rmtree(dest)  # an unusable leftover of an earlier attempt
    cache.mkdir(parents=True, exist_ok=True)
    say("setup: fetching Odoo %s from %s into %s (once)" % (branch, source, dest))
    partial = Path(tempfile.mkdtemp(prefix=".odoo-fetch-", dir=cache))
    try:
        _fetch_into(source, branch, partial / "tree")
        _check_tree(partial / "tree", source)
        (partial / "tree").rename(dest)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return dest


def _machine_pythons(python):
    """The machine's own interpreters (the one running this script, python3 on PATH), not ``python``."""
    seen, found = set(), []
    for cand in (getattr(sys, "_base_executable", None) if sys.prefix != sys.base_prefix else sys.executable,
                 shutil.which("python3")):
        if cand and cand != python and cand not in seen:
            seen.add(cand)
            found.append(cand)
    return found


def resolve_odoo(python):
    """Where ``python`` gets Odoo 18.0 from: None when it imports it already or ODOO_SRC names it,
    else the root of a tree to add to its path (the machine Python's Odoo, or a fetched one)."""
    if os.environ.get("ODOO_SRC"):
        return None  # used as given, through PYTHONPATH (checked by the command itself)
    found = probe_odoo(python)
    if found and found[0] == str(ODOO_MAJOR):
        return None
    for other in _machine_pythons(python):
        found = probe_odoo(other)
        if found and found[0] == str(ODOO_MAJOR) and release_major(found[1]) == ODOO_MAJOR:
            return Path(found[1])
    return fetch_odoo()


def site_packages(python):
    res = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True)
    return Path(res.stdout.strip())


def wire_odoo(python, managed, odoo_root, env):
    """Make ``odoo_root`` importable by ``python``: a .pth in our own virtualenv, else ODOO_SRC."""
    if odoo_root is None:
        return env
    if managed:
        pth = site_packages(python) / PTH_NAME
        pth.write_text("%s\n" % odoo_root)
        say("setup: Odoo %s at %s (linked into the virtual environment)" % (ODOO_BRANCH, odoo_root))
        return env
    return dict(env, ODOO_SRC=str(odoo_root))
