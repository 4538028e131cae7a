from odoo.tests import HttpCase, new_test_user, tagged


class ContractTourMixin:
    def _setup_contract_tour(self):
        self.user = new_test_user(self.env, login="tour_contract", password="tour_contract",
                                  groups="crm_plus.group_crm_plus_user", name="Tour Contract Sales", lang="en_US")
        self.buyer = self.env["res.partner"].create({"name": "Tour Contract Buyer Ltd", "is_company": True,
                                                     "phone": "+86 20 3999 0417"})

    def _assert_contract_created(self):
        contract = self.env["crm_plus.contract"].search([("partner_id", "=", self.buyer.id)])
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.state, "pending")
        self.assertEqual(contract.user_id, self.user)
        self.assertEqual(contract.line_ids.mapped("name"), ["Tour annual support"])
        self.assertAlmostEqual(contract.amount, 3500.0)


@tagged("post_install", "-at_install")
class TestContractUiDesktop(ContractTourMixin, HttpCase):
    def test_create_and_confirm_contract(self):
        self._setup_contract_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_contract", "crm_plus_contract_create",
                        login="tour_contract")
        self._assert_contract_created()


@tagged("post_install", "-at_install")
class TestContractUiMobile(ContractTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_create_and_confirm_contract_on_phone(self):
        self._setup_contract_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_contract", "crm_plus_contract_create",
                        login="tour_contract")
        self._assert_contract_created()
