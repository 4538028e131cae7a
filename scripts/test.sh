#!/usr/bin/env bash
# Every check of crm_plus on a throwaway database: lint, install with tests, upgrade, RPC checks, uninstall.
# Installs what the machine lacks first. Ends with "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/crmplus.py test "$@"
