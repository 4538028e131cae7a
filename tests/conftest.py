"""Repo-level checks: run by the test command against a live server (CRM_PLUS_URL, CRM_PLUS_DB)."""

import os

import pytest

from .rpc import JsonRpc


@pytest.fixture(scope="session")
def server():
    url, db = os.environ.get("CRM_PLUS_URL"), os.environ.get("CRM_PLUS_DB")
    if not url or not db:
        pytest.fail("CRM_PLUS_URL and CRM_PLUS_DB must name a running server (scripts/crmplus.py test sets them)")
    return url, db


@pytest.fixture(scope="session")
def admin(server):
    url, db = server
    return JsonRpc(url, db, "admin", "admin")
