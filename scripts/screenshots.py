#!/usr/bin/env python3
"""Screenshots of a running crm_plus server for the user guide (docs/images/).

    bash scripts/run.sh &                       # a server with demo data on :8069
    python3 scripts/screenshots.py              # every shot of SHOTS below

Drives headless Chromium through the DevTools protocol (websocket-client, already a test dependency):
logs in through the real login form, opens each page at desktop or phone width, waits for the
web client to settle and saves a PNG.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
PHONE = (390, 844)
DESKTOP = (1366, 900)

# name, login, path (after /odoo), size
SHOTS = [
    ("customers-kanban-phone", "sales", "/action-crm_plus.action_crm_plus_customers", PHONE),
    ("customer-duplicate-warning", "steward", "/action-crm_plus.action_crm_plus_customers/%(duplicate)s", DESKTOP),
    ("duplicates-to-review", "steward", "/action-crm_plus.action_crm_plus_duplicate_group", DESKTOP),
    ("duplicates-to-review-phone", "steward", "/action-crm_plus.action_crm_plus_duplicate_group", PHONE),
    ("import-customers", "steward", "/action-crm_plus.action_crm_plus_import_job", DESKTOP),
    ("change-requests", "steward", "/action-crm_plus.action_crm_plus_partner_change_request", DESKTOP),
    ("settings-duplicates", "admin", "/settings#crm_plus", DESKTOP),
    ("contract-form", "manager", "/action-crm_plus.action_crm_plus_contract/%(contract)s", DESKTOP),
    ("contracts-kanban-phone", "sales", "/action-crm_plus.action_crm_plus_contract?view_type=kanban", PHONE),
    ("contract-analysis", "manager", "/action-crm_plus.action_crm_plus_contract_analysis", DESKTOP),
    ("customer-finance", "finance", "/action-crm_plus.action_crm_plus_customers/%(customer)s", DESKTOP),
    ("routing-rules", "manager", "/action-crm_plus.action_crm_plus_routing_rule", DESKTOP),
    ("pool-customers-phone", "sales", "/action-crm_plus.action_crm_plus_pool_customers", PHONE),
    ("pool-moves", "manager", "/action-crm_plus.action_crm_plus_pool_move", DESKTOP),
    ("return-visits-phone", "sales", "/action-crm_plus.action_crm_plus_return_visit", PHONE),
    ("tickets-kanban-phone", "agent", "/action-crm_plus_service.action_crm_plus_ticket?view_type=kanban", PHONE),
    ("tickets-list", "service_manager", "/action-crm_plus_service.action_crm_plus_ticket?view_type=list", DESKTOP),
    ("ticket-form", "agent", "/action-crm_plus_service.action_crm_plus_ticket/%(ticket)s", DESKTOP),
    ("ticket-form-phone", "agent", "/action-crm_plus_service.action_crm_plus_ticket/%(ticket)s", PHONE),
    ("service-teams", "service_manager", "/action-crm_plus_service.action_crm_plus_ticket_team_overview", DESKTOP),
    ("sla-policies", "service_manager", "/action-crm_plus_service.action_crm_plus_sla_policy", DESKTOP),
    ("china-calendar", "service_manager", "/action-crm_plus_service.action_crm_plus_china_day", DESKTOP),
    ("kb-articles", "agent", "/action-crm_plus_service.action_crm_plus_kb_article", DESKTOP),
    # the role dashboards (Dashboards app)
    ("dashboard-sales", "sales", "/dashboards?dashboard_id=%(dash_sales)s", DESKTOP),
    ("dashboard-sales-phone", "sales", "/dashboards?dashboard_id=%(dash_sales)s", PHONE),
    ("dashboard-team", "leader", "/dashboards?dashboard_id=%(dash_team)s", DESKTOP),
    ("dashboard-manager", "manager", "/dashboards?dashboard_id=%(dash_manager)s", DESKTOP),
    ("dashboard-manager-phone", "manager", "/dashboards?dashboard_id=%(dash_manager)s", PHONE),
    ("dashboard-service", "service_manager", "/dashboards?dashboard_id=%(dash_service)s", DESKTOP),
    ("dashboard-finance", "finance", "/dashboards?dashboard_id=%(dash_finance)s", DESKTOP),
    # segments, recipes, the customer timeline and surveys (docs/engagement.md)
    ("segments", "manager", "/action-crm_plus.action_crm_plus_segment?view_type=list", DESKTOP),
    ("segments-phone", "sales", "/action-crm_plus.action_crm_plus_segment?view_type=kanban", PHONE),
    ("customer-segmentation", "sales", "/action-crm_plus.action_crm_plus_customers/%(customer)s", DESKTOP),
    ("automation-recipes", "admin", "/action-crm_plus.action_crm_plus_recipes", DESKTOP),
    ("customer-timeline", "sales", "/action-crm_plus.action_crm_plus_customers/%(customer)s", DESKTOP),
    ("customer-timeline-phone", "sales", "/action-crm_plus.action_crm_plus_customers/%(customer)s", PHONE),
    ("survey-requests", "manager", "/action-crm_plus.action_crm_plus_survey_request", DESKTOP),
    ("satisfaction-surveys", "manager", "/action-crm_plus_reports.action_crm_plus_report_survey", DESKTOP),
    # referrals and competitors (docs/engagement.md)
    ("opportunity-competitors", "manager", "/action-crm.crm_lead_action_pipeline/%(opportunity)s", DESKTOP),
    ("opportunity-competitors-phone", "manager", "/action-crm.crm_lead_action_pipeline/%(opportunity)s", PHONE),
    ("competitors-phone", "manager", "/action-crm_plus.action_crm_plus_competitor?view_type=kanban", PHONE),
    ("referral-rewards", "manager", "/action-crm_plus.action_crm_plus_referral_reward?view_type=list", DESKTOP),
    ("referral-analysis", "manager", "/action-crm_plus_reports.action_crm_plus_report_referral", DESKTOP),
    ("win-loss-by-competitor", "manager", "/action-crm_plus_reports.action_crm_plus_report_competitor", DESKTOP),
    ("win-loss-by-competitor-phone", "manager", "/action-crm_plus_reports.action_crm_plus_report_competitor", PHONE),
    # the customer portal (paths outside the web client)
    ("portal-tickets-phone", "huaxin_portal", "/my/tickets", PHONE),
    ("portal-ticket", "huaxin_portal", "/my/tickets/%(portal_ticket)s", DESKTOP),
    ("portal-new-ticket-phone", "huaxin_portal", "/my/tickets/new", PHONE),
]
# shots that need a click after the page settles (a notebook tab...): name -> CSS selector
CLICKS = {
    "customer-finance": "a[name=crm_plus_finance]",
    "customer-segmentation": "a[name=crm_plus_segmentation]",
    "customer-timeline": "a[name=crm_plus_timeline]",
    "customer-timeline-phone": "a[name=crm_plus_timeline]",
    "opportunity-competitors": "a[name=crm_plus_competitors]",
    "opportunity-competitors-phone": "a[name=crm_plus_competitors]",
}


class Browser:
    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="crm_plus_shots_")
        port = 9333
        self.proc = subprocess.Popen([
            shutil.which("chromium") or "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--remote-debugging-port=%d" % port, "--user-data-dir=%s" % self.profile,
            "--window-size=%d,%d" % (width, height), "about:blank",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/json" % port, timeout=1) as resp:
                    pages = [p for p in json.load(resp) if p["type"] == "page"]
                    if pages:
                        break
            except OSError:
                pass
            time.sleep(0.2)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30)
        self.seq = 0
        mobile = width < 600
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=mobile)
        if mobile:
            self.send("Emulation.setTouchEmulationEnabled", enabled=True)

    def send(self, method, **params):
        self.seq += 1
        self.ws.send(json.dumps({"id": self.seq, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.seq:
                return msg.get("result", {})

    def js(self, expression):
        res = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return res.get("result", {}).get("value")

    def goto(self, url, settle=2.5):
        self.send("Page.navigate", url=url)
        for _ in range(100):
            time.sleep(0.2)
            if self.js("document.readyState") == "complete" and self.js(
                    "!document.querySelector('.o_loading_indicator, .o_blockUI')"):
                break
        time.sleep(settle)

    def login(self, base, login, password):
        self.goto(base + "/web/login", settle=0.5)
        self.js("""(() => {
            document.querySelector('input[name=login]').value = %s;
            document.querySelector('input[name=password]').value = %s;
            document.querySelector('form.oe_login_form').submit(); })()""" % (json.dumps(login), json.dumps(password)))
        # a loaded server may take longer than a few seconds to log in: wait until the login page is left
        for _ in range(60):
            time.sleep(1)
            if self.js("location.pathname") not in ("/web/login", None):
                break

    def shot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("CRM_PLUS_URL", "http://localhost:8069"))
    parser.add_argument("--only", nargs="*", help="names of shots to take")
    parser.add_argument("--duplicate", default="1", help="id of a customer with a likely duplicate")
    parser.add_argument("--contract", default="1", help="id of a contract to show")
    parser.add_argument("--customer", default="1", help="id of a customer with invoices and contracts")
    parser.add_argument("--ticket", default="1", help="id of a service ticket with SLA clocks")
    parser.add_argument("--portal-ticket", default="1", help="id of the portal demo customer's ticket")
    parser.add_argument("--opportunity", default="1", help="id of an opportunity with competitors")
    parser.add_argument("--dashboards", default="1,2,3,4,5",
                        help="ids of the sales, team, manager, service and finance dashboards")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    dashboards = dict(zip(("dash_sales", "dash_team", "dash_manager", "dash_service", "dash_finance"),
                          args.dashboards.split(","), strict=False))
    for name, login, path, (width, height) in SHOTS:
        if args.only and name not in args.only:
            continue
        browser = Browser(width, height)
        try:
            browser.login(args.url, login, login)
            prefix = "" if path.startswith("/my") else "/odoo"  # portal pages are outside the web client
            browser.goto(args.url + prefix + path % {
                "duplicate": args.duplicate, "contract": args.contract, "customer": args.customer,
                "ticket": args.ticket, "portal_ticket": args.portal_ticket,
                "opportunity": args.opportunity, **dashboards})
            if name in CLICKS:
                selector = json.dumps(CLICKS[name])
                for _ in range(60):  # a loaded server may render the form late
                    if browser.js("!!document.querySelector(%s)" % selector):
                        break
                    time.sleep(0.5)
                browser.js("(el => { el.click(); el.scrollIntoView(); })(document.querySelector(%s))" % selector)
                time.sleep(1.5)
            browser.shot(OUT / ("%s.png" % name))
            print("docs/images/%s.png" % name)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
