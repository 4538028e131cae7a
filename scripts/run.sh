#!/usr/bin/env bash
# A local Odoo 18 with the three crm_plus addons and demo data on http://localhost:8069.
# Installs what the machine lacks first; safe to run again (it updates the addons).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/crmplus.py run "$@"
