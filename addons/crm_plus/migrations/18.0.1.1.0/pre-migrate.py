"""18.0.1.1.0: the pool's lock of a customer is ``pool_locked`` (was ``crm_plus_locked``, easily confused with
the identity lock). The column, its index, the field's metadata and its xml id are renamed in place, so no
customer loses its lock and no translation of the label is lost."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("""SELECT 1 FROM information_schema.columns
                       WHERE table_name = 'res_partner' AND column_name = 'crm_plus_locked'"""))
    if not cr.fetchone():
        return
    cr.execute(SQL("ALTER TABLE res_partner RENAME COLUMN crm_plus_locked TO pool_locked"))
    cr.execute(SQL("ALTER INDEX IF EXISTS res_partner__crm_plus_locked_index RENAME TO res_partner__pool_locked_index"))
    cr.execute(SQL("""UPDATE ir_model_fields SET name = 'pool_locked'
                       WHERE model = 'res.partner' AND name = 'crm_plus_locked'"""))
    cr.execute(SQL("""UPDATE ir_model_data SET name = 'field_res_partner__pool_locked'
                       WHERE module = 'crm_plus' AND name = 'field_res_partner__crm_plus_locked'"""))
    # views, saved filters and actions naming the field (the views are reloaded later in the upgrade, but
    # every view of the partner form is validated together as soon as the first one is reloaded)
    cr.execute(SQL("""UPDATE ir_ui_view SET arch_db = replace(arch_db::text, 'crm_plus_locked', 'pool_locked')::jsonb
                       WHERE arch_db::text LIKE %s""", "%crm_plus_locked%"))
    cr.execute(SQL("""UPDATE ir_filters SET domain = replace(domain, 'crm_plus_locked', 'pool_locked'),
                                          context = replace(context, 'crm_plus_locked', 'pool_locked')
                       WHERE domain LIKE %(like)s OR context LIKE %(like)s""", like="%crm_plus_locked%"))
    cr.execute(SQL("""UPDATE ir_act_window SET domain = replace(domain, 'crm_plus_locked', 'pool_locked'),
                                             context = replace(context, 'crm_plus_locked', 'pool_locked')
                       WHERE domain LIKE %(like)s OR context LIKE %(like)s""", like="%crm_plus_locked%"))
