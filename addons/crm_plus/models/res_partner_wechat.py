from odoo import fields, models


class ResPartner(models.Model):
    """The contact's WeChat Official Account follower id and opt-out."""

    _inherit = "res.partner"

    crm_plus_wechat_openid = fields.Char(
        string="WeChat OpenID", copy=False, groups="base.group_user",
        help="The contact's openid for your WeChat Official Account (given when they follow it).")
    crm_plus_wechat_opt_out = fields.Boolean(
        string="No WeChat Notices", help="The contact does not want WeChat template messages.")
