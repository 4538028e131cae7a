"""Setup obtains Odoo by itself: fetched once from CRM_PLUS_ODOO_SOURCE into a cache, checked to be 18.0.
Local git repositories and tarballs stand in for the official source: no network, no server needed."""

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import crmplus_env


def _fake_tree(folder, major):
    (folder / "odoo").mkdir(parents=True)
    (folder / "odoo" / "__init__.py").write_text("")
    (folder / "odoo" / "release.py").write_text(
        "RELEASE_LEVELS = ['alpha', 'beta', 'candidate', 'final']\n"
        "FINAL = RELEASE_LEVELS[3]\n"
        "version_info = (%d, 0, 0, FINAL, 0, '')\n" % major)
    return folder


def _git_repo(folder, major, branch="18.0"):
    _fake_tree(folder, major)
    git = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", "-b", branch, str(folder)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "odoo %d" % major], check=True)
    return folder


def test_git_source_fetched_once_into_the_cache(tmp_path):
    repo = _git_repo(tmp_path / "odoo-upstream", 18)
    cache = tmp_path / "cache"
    tree = crmplus_env.fetch_odoo(str(repo), "18.0", cache)
    assert tree == cache / "odoo-18.0"
    assert crmplus_env.release_major(tree) == 18
    assert (tree / ".git").is_dir()  # a shallow clone
    # from then on the cached copy is used, even when the source is gone
    subprocess.run(["rm", "-rf", str(repo)], check=True)
    assert crmplus_env.fetch_odoo(str(repo), "18.0", cache) == tree


def test_wrong_version_is_refused_and_not_cached(tmp_path):
    repo = _git_repo(tmp_path / "odoo-17", 17)
    cache = tmp_path / "cache"
    with pytest.raises(crmplus_env.Abort, match="holds Odoo 17, but crm_plus needs Odoo 18.0"):
        crmplus_env.fetch_odoo(str(repo), "18.0", cache)
    assert not (cache / "odoo-18.0").exists()
    assert list(cache.iterdir()) == []  # no half-fetched leftovers


def test_missing_branch_or_unreachable_source_says_what_to_do(tmp_path):
    repo = _git_repo(tmp_path / "odoo-upstream", 18, branch="master")
    for source in (str(repo), "file://%s/nowhere.git" % tmp_path):
        with pytest.raises(crmplus_env.Abort) as exc:
            crmplus_env.fetch_odoo(source, "18.0", tmp_path / "cache")
        message = str(exc.value)
        assert "could not get Odoo 18.0 from %s" % source in message
        assert "CRM_PLUS_ODOO_SOURCE=" in message and "ODOO_SRC=" in message
        assert "Traceback" not in message


def test_tarball_url(tmp_path):
    top = _fake_tree(tmp_path / "src" / "odoo-18.0.post20250101", 18)
    archive = tmp_path / "odoo_18.0.latest.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(top, arcname=top.name)
    tree = crmplus_env.fetch_odoo(archive.as_uri(), "18.0", tmp_path / "cache")
    assert crmplus_env.release_major(tree) == 18
    assert (tree / "odoo" / "__init__.py").is_file()


def test_plain_local_tree_used_in_place(tmp_path):
    tree = _fake_tree(tmp_path / "my-odoo", 18)
    assert crmplus_env.fetch_odoo(str(tree), "18.0", tmp_path / "cache") == tree
    assert not (tmp_path / "cache").exists()
    with pytest.raises(crmplus_env.Abort, match="holds Odoo 17"):
        crmplus_env.fetch_odoo(str(_fake_tree(tmp_path / "old-odoo", 17)), "18.0", tmp_path / "cache")


def test_resolve_prefers_an_importable_odoo(tmp_path, monkeypatch):
    """The machine's own Odoo (or the venv's) wins over fetching: a source that cannot be reached
    is never tried when an Odoo 18 is importable."""
    monkeypatch.delenv("ODOO_SRC", raising=False)
    monkeypatch.setenv("CRM_PLUS_ODOO_SOURCE", "file://%s/nowhere.git" % tmp_path)
    monkeypatch.setenv("CRM_PLUS_CACHE", str(tmp_path / "cache"))
    found = crmplus_env.probe_odoo(sys.executable)
    if not found:
        pytest.fail("this test runs in the project's environment, which imports Odoo 18")
    assert crmplus_env.resolve_odoo(sys.executable) is None
    # a Python without Odoo, on a machine without one: the unreachable source gives the clear message
    monkeypatch.setattr(crmplus_env, "_machine_pythons", lambda _python: [])
    monkeypatch.setattr(crmplus_env, "probe_odoo", lambda _python, env=None: None)
    with pytest.raises(crmplus_env.Abort, match="could not get Odoo 18.0"):
        crmplus_env.resolve_odoo(sys.executable)


def test_pins_probe(tmp_path):
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("pytest\nno-such-package-for-crm-plus==1.0\n")
    assert crmplus_env.missing_pins(sys.executable, reqs) == ["no-such-package-for-crm-plus (missing)"]


def test_probe_finds_a_tree_whose_requirements_are_missing(tmp_path):
    """A machine Python that has the Odoo source on its path but not Odoo's requirements (they go into
    the virtual environment) still names that tree: the probe locates the package, never imports it."""
    pkg = tmp_path / "odoo"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("import a_requirement_that_is_not_installed\n")
    (pkg / "release.py").write_text("version_info = (18, 0, 0, 'final', 0, '')\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    assert crmplus_env.probe_odoo(sys.executable, env=env) == ("18", str(tmp_path))
    (pkg / "release.py").write_text("version_info = (17, 0, 0, 'final', 0, '')\n")
    assert crmplus_env.probe_odoo(sys.executable, env=env) == ("17", str(tmp_path))
