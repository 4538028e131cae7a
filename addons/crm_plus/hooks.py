import logging

from odoo.tools import SQL

from .models.res_partner_identity import KEYS_VERSION

_logger = logging.getLogger(__name__)


def pre_init_hook(env):
    """Fuzzy name matching needs pg_trgm (a trusted extension: the database owner may create it)."""
    try:
        with env.cr.savepoint():
            env.cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        env.registry.has_trigram = True
    except Exception:  # noqa: BLE001 - without it only fuzzy matching is off, everything else works
        _logger.warning("crm_plus: pg_trgm is not available; fuzzy duplicate matching is disabled")


def post_init_hook(env):
    """Index the identity keys of the partners that existed before the install (one statement)."""
    partners = env["res.partner"].with_context(active_test=False).search([])
    partners._crm_plus_sync_keys()
    # the install computed every partner's keys with the current rules
    env["ir.config_parameter"].sudo().set_param("crm_plus.keys_version", KEYS_VERSION)
    _logger.info("crm_plus: identity keys indexed for %d partners", len(partners))


def uninstall_hook(env):
    """The API's per-minute counters are a plain table (not a model): dropped with the module."""
    env.cr.execute(SQL("DROP TABLE IF EXISTS crm_plus_api_rate"))
