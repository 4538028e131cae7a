"""What the inbound API creates: leads (routed like any lead) and external orders (quotation or confirmed
order of the customer found by crm_plus's identity keys, created when new)."""

from odoo import Command, api, models

from ..tools import api_payload
from ..tools.emails import normalize_emails
from ..tools.identity import identity_keys
from ..tools.phone import phone_keys
from ..tools.uscc import clean_uscc
from .crm_plus_api_client import ApiError


def _invalid(errors):
    return ApiError(400, {"error": "validation", "message": "Some fields are invalid.", "fields": errors})


class CrmPlusApiClient(models.Model):
    _inherit = "crm_plus.api.client"

    # records are created in the integration user's name; the client's scope was checked by _api_authenticate,
    # the integration user needs no business rights: sudo() below, after that check

    def _api_env(self, **context):
        return self.env(user=self.user_id.id, su=True, context=dict(
            self.env.context, lang="en_US", allowed_company_ids=[self.company_id.id], tracking_disable=False,
            **context))

    def _api_create_lead(self, data):
        self.ensure_one()
        clean, errors = api_payload.validate(api_payload.LEAD_SPEC, data)
        if errors:
            raise _invalid(errors)

        def work():
            env = self._api_env()
            Utm = env["utm.mixin"]
            # no salesperson: the lead is routed like any other (not given to the integration user)
            vals = {"name": clean["name"], "type": "lead", "user_id": False, "contact_name": clean.get("contact_name"),
                    "partner_name": clean.get("partner_name"), "email_from": clean.get("email"),
                    "phone": clean.get("phone"), "description": clean.get("description"),
                    "company_id": self.company_id.id}
            for field, model in (("source_id", "utm.source"), ("medium_id", "utm.medium"),
                                 ("campaign_id", "utm.campaign")):
                name = clean.get("utm_%s" % field.split("_")[0])
                if name:
                    vals[field] = Utm._find_or_create_record(model, name).id
            lead = env["crm.lead"].create(vals)
            body = {"id": lead.id, "external_id": clean["external_id"], "model": "crm.lead",
                    "user_id": lead.user_id.id or None, "team_id": lead.team_id.id or None}
            return 201, body, lead

        return self._api_call("leads", clean["external_id"], work)

    @api.model
    def _api_order_key(self, data):
        return "%s/%s" % (data.get("shop"), data.get("external_id"))

    def _api_push_order(self, data):
        self.ensure_one()
        clean, errors = api_payload.validate(api_payload.ORDER_SPEC, data)
        customer, customer_errors = api_payload.validate(api_payload.CUSTOMER_SPEC, clean.get("customer") or {},
                                                         "customer.")
        lines, line_errors = api_payload.validate_list(api_payload.ORDER_LINE_SPEC, clean.get("lines") or [], "lines")
        errors.update(customer_errors if "customer" in clean else {})
        errors.update(line_errors if "lines" in clean else {})
        if customer and not (customer.get("phone") or customer.get("email") or customer.get("uscc")):
            errors["customer"] = "needs a phone, an e-mail or a USCC to be matched"
        if errors:
            raise _invalid(errors)
        # no "created" note nor follower for the integration user on each order (its create_uid says who):
        # the intake's main cost after the order itself (docs/benchmarks.md, order intake profile)
        env = self._api_env(mail_create_nolog=True, mail_create_nosubscribe=True)
        codes = {line["product_code"] for line in lines}
        products = env["product.product"].search([("default_code", "in", list(codes)), ("sale_ok", "=", True)])
        by_code = {p.default_code: p for p in products}
        missing = {"lines[%d].product_code" % i: "is not a known product code"
                   for i, line in enumerate(lines) if line["product_code"] not in by_code}
        missing.update({"lines[%d].quantity" % i: "must be positive" for i, line in enumerate(lines)
                        if line["quantity"] <= 0})
        if missing:
            raise _invalid(missing)

        def work():
            partner = self._api_match_customer(env, customer)
            # the customer's sales team when it has one: Odoo's guess from the (integration) user costs two
            # searches per order and finds nothing better
            team = partner.team_id or partner.commercial_partner_id.team_id
            order = env["sale.order"].create({
                **({"team_id": team.id} if team else {}),
                "partner_id": partner.id, "company_id": self.company_id.id, "origin": clean["shop"],
                "client_order_ref": clean["external_id"], "note": clean.get("note"),
                "order_line": [Command.create({
                    "product_id": by_code[line["product_code"]].id, "product_uom_qty": line["quantity"],
                    **({"price_unit": line["price_unit"]} if "price_unit" in line else {})}) for line in lines],
            })
            if clean.get("confirm", self.confirm_orders):
                order.action_confirm()
            body = {"id": order.id, "name": order.name, "external_id": clean["external_id"], "shop": clean["shop"],
                    "model": "sale.order", "state": order.state, "partner_id": partner.id,
                    "amount_total": order.amount_total}
            return 201, body, order

        return self._api_call("orders", self._api_order_key(clean), work)

    @api.model
    def _api_match_customer(self, env, customer):
        """The customer holding the phone, e-mail or USCC (crm_plus identity keys), else a new one."""
        uscc = clean_uscc(customer.get("uscc") or "")
        keys = identity_keys(phones=phone_keys(customer.get("phone") or ""),
                             emails=normalize_emails(customer.get("email") or ""), uscc=uscc or None)
        found = env["crm_plus.partner.key"]._lookup(keys)
        # the strongest key first: USCC, then phone, then e-mail; the oldest partner when several
        for kind in ("uscc", "phone", "email"):
            for (key_kind, _value), ids in sorted(found.items()):
                if key_kind == kind and ids:
                    return env["res.partner"].browse(min(ids))
        return env["res.partner"].create({
            "name": customer["name"], "phone": customer.get("phone"), "email": customer.get("email"),
            "is_company": bool(customer.get("is_company") or uscc), "uscc": uscc or False,
        })
