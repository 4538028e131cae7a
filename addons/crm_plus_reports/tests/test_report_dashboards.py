import json
import re

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import file_open

from odoo.addons.crm_plus_service.tests.common import CrmPlusServiceCase

# xmlid of each role dashboard -> its JSON file
DASHBOARDS = {
    "crm_plus_reports.spreadsheet_dashboard_sales_user": "crm_plus_sales_user_dashboard.json",
    "crm_plus_reports.spreadsheet_dashboard_team_leader": "crm_plus_team_leader_dashboard.json",
    "crm_plus_reports.spreadsheet_dashboard_sales_manager": "crm_plus_sales_manager_dashboard.json",
    "crm_plus_reports.spreadsheet_dashboard_service_manager": "crm_plus_service_manager_dashboard.json",
    "crm_plus_reports.spreadsheet_dashboard_finance": "crm_plus_finance_dashboard.json",
}
PIVOT_FORMULA = re.compile(r'^=PIVOT\.(?:VALUE|HEADER)\((\d+),"([^"]+)"')


def _load(filename):
    with file_open("crm_plus_reports/data/files/%s" % filename) as handle:
        return json.load(handle)


def _domain_fields(domain):
    return [leaf[0] for leaf in domain if isinstance(leaf, list)]


class TestReportDashboards(CrmPlusServiceCase):
    """The role dashboards: their JSON is valid, each reference exists, each is shown to its roles only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test users read in English; the spreadsheet locale needs their language active
        cls.env["res.lang"]._activate_lang("en_US")

    def _references(self, data):
        """(what, model, field, usage) of every pivot, chart and cell of a dashboard's JSON."""
        refs = []
        for pivot in data["pivots"].values():
            self.assertEqual(pivot["type"], "ODOO")
            model = pivot["model"]
            refs += [("pivot %s" % pivot["name"], model, m["fieldName"], "measure") for m in pivot["measures"]]
            refs += [("pivot %s" % pivot["name"], model, g["fieldName"], "groupby")
                     for g in pivot["rows"] + pivot["columns"]]
            refs += [("pivot %s" % pivot["name"], model, f, "domain") for f in _domain_fields(pivot["domain"])]
        for sheet in data["sheets"]:
            for figure in sheet["figures"]:
                chart = figure["data"]
                self.assertIn(chart["type"], ("odoo_bar", "odoo_line", "odoo_pie"))
                meta = chart["metaData"]
                model = meta["resModel"]
                refs.append(("chart %s" % figure["id"], model, meta["measure"], "measure"))
                refs += [("chart %s" % figure["id"], model, g.split(":")[0], "groupby") for g in meta["groupBy"]]
                refs += [("chart %s" % figure["id"], model, f, "domain")
                         for f in _domain_fields(chart["searchParams"]["domain"])]
            for ref, cell in sheet["cells"].items():
                match = PIVOT_FORMULA.match(cell.get("content", ""))
                if not match:
                    continue
                pivot = data["pivots"].get(match[1])
                self.assertTrue(pivot, "cell %s refers to pivot %s, which is missing" % (ref, match[1]))
                name = match[2]
                if name.startswith("#"):
                    self.assertIn(name[1:], [g["fieldName"] for g in pivot["rows"]], "cell %s" % ref)
                elif name != "measure":
                    self.assertIn(name, [m["fieldName"] for m in pivot["measures"]], "cell %s" % ref)
        return refs

    def test_json_and_references(self):
        """Every dashboard parses; every model, field, measure and group-by it names exists and works."""
        for xmlid, filename in DASHBOARDS.items():
            dashboard = self.env.ref(xmlid)
            data = _load(filename)
            self.assertEqual(json.loads(dashboard.spreadsheet_data), data, "the record holds the file")
            refs = self._references(data)
            self.assertTrue(refs, "%s reads nothing" % filename)
            for what, model, fname, usage in refs:
                with self.subTest(dashboard=filename, what=what, field=fname):
                    self.assertIn(model, self.env, "unknown model")
                    field = self.env[model]._fields.get(fname)
                    self.assertTrue(field, "%s.%s does not exist" % (model, fname))
                    if usage == "measure":
                        self.assertTrue(field.aggregator, "%s.%s cannot be a measure" % (model, fname))
                    elif usage == "groupby":
                        self.assertTrue(field.store and field.column_type, "%s.%s cannot group" % (model, fname))

    def test_pivots_read_as_each_role(self):
        """Each pivot of a dashboard reads, as a user of the dashboard's groups, without an access error."""
        users = [self.user_sales, self.user_leader, self.user_manager, self.user_finance, self.user_service_manager]
        for xmlid, filename in DASHBOARDS.items():
            dashboard = self.env.ref(xmlid)
            for user in users:
                if not (user.groups_id & dashboard.group_ids):
                    continue
                for pivot in _load(filename)["pivots"].values():
                    with self.subTest(dashboard=filename, user=user.login, pivot=pivot["name"]):
                        Model = self.env[pivot["model"]].with_user(user)
                        groupby = [g["fieldName"] for g in pivot["rows"]]
                        measures = ["%s:%s" % (m["fieldName"], Model._fields[m["fieldName"]].aggregator)
                                    for m in pivot["measures"]]
                        Model._read_group(pivot["domain"], groupby, measures)

    def test_dashboard_visibility_per_role(self):
        """Each role finds exactly its dashboards in the Dashboards app (the group rule of spreadsheet.dashboard)."""
        sales = self.env.ref("crm_plus_reports.spreadsheet_dashboard_sales_user")
        leader = self.env.ref("crm_plus_reports.spreadsheet_dashboard_team_leader")
        manager = self.env.ref("crm_plus_reports.spreadsheet_dashboard_sales_manager")
        service = self.env.ref("crm_plus_reports.spreadsheet_dashboard_service_manager")
        finance = self.env.ref("crm_plus_reports.spreadsheet_dashboard_finance")
        group = self.env.ref("crm_plus_reports.spreadsheet_dashboard_group_crm_plus")
        expected = {
            self.user_sales: sales,
            self.user_leader: sales | leader,
            self.user_manager: sales | leader | manager,
            self.user_finance: finance,
            self.user_service_manager: service,
            self.user_agent: self.env["spreadsheet.dashboard"],
            self.user_steward: self.env["spreadsheet.dashboard"],
            self.user_employee: self.env["spreadsheet.dashboard"],
        }
        for user, dashboards in expected.items():
            with self.subTest(user=user.login):
                found = self.env["spreadsheet.dashboard"].with_user(user).search(
                    [("dashboard_group_id", "=", group.id)])
                self.assertEqual(found, dashboards)
                if dashboards:
                    snapshot = dashboards[0].with_user(user).get_readonly_dashboard()["snapshot"]
                    self.assertTrue(snapshot["pivots"])


class DashboardTourMixin:
    def _open_sales_dashboard(self):
        # the spreadsheet locale needs the user's language active (the test database may load zh_CN only)
        self.env["res.lang"]._activate_lang("en_US")
        new_test_user(self.env, login="tour_dashboard", password="tour_dashboard", name="Tour Dashboard Sales",
                      groups="crm_plus.group_crm_plus_user", lang="en_US")
        dashboard = self.env.ref("crm_plus_reports.spreadsheet_dashboard_sales_user")
        self.start_tour("/odoo/dashboards?dashboard_id=%s" % dashboard.id, "crm_plus_reports_dashboard",
                        login="tour_dashboard")


@tagged("post_install", "-at_install")
class TestReportDashboardDesktop(DashboardTourMixin, HttpCase):
    def test_open_sales_dashboard(self):
        self._open_sales_dashboard()


@tagged("post_install", "-at_install")
class TestReportDashboardMobile(DashboardTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_open_sales_dashboard_on_phone(self):
        self._open_sales_dashboard()
