"""Search of leads and opportunities in pinyin and initials (zhangwei, zw for 张伟) on title, company and contact."""

from odoo import api, fields, models

from ..tools import pinyin


class CrmLead(models.Model):
    _inherit = "crm.lead"
    _rec_names_search = ["name", "crm_plus_pinyin", "crm_plus_initials"]

    crm_plus_pinyin = fields.Char(
        string="Pinyin", compute="_compute_crm_plus_pinyin", store=True, index="trigram",
        help="The title, company name and contact name in tone-less pinyin, each word after a space.")
    crm_plus_initials = fields.Char(
        string="Initials", compute="_compute_crm_plus_pinyin", store=True, index="trigram",
        help="The initials of the title, company name and contact name, each word after a space: search "
             "' zw' finds 张伟.")

    @api.depends("name", "partner_name", "contact_name")
    def _compute_crm_plus_pinyin(self):
        for lead in self:
            fulls, initials = [], []
            for text, person in ((lead.contact_name, True), (lead.partner_name, False), (lead.name, False)):
                if text:
                    full, first_letters = pinyin.pinyin_keys(text, person=person)
                    fulls.append(full)
                    initials.append(first_letters)
            lead.crm_plus_pinyin = "".join(" " + full for full in fulls if full) or False
            lead.crm_plus_initials = "".join(" " + letters for letters in initials if letters) or False
