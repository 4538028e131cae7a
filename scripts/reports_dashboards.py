"""Write the role dashboards of crm_plus_reports (Odoo spreadsheet JSON) from the small spec below.

Run ``python3 scripts/reports_dashboards.py`` after changing the spec; the files land in
addons/crm_plus_reports/data/files/. Each section is an Odoo pivot (top rows as PIVOT.HEADER / PIVOT.VALUE
cells) and, optionally, an Odoo chart; every pivot and chart reads a model as the user, so record rules apply.
"""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "addons" / "crm_plus_reports" / "data" / "files"
TOP = 5  # rows of each pivot shown on the dashboard
ROW_PX = 23
SECTION_ROWS = 12  # a section is as tall as its chart

PIPE, ADOPT, RECV = "crm_plus.report.pipeline", "crm_plus.report.adoption", "crm_plus.report.receivable"
COHORT, RENEW, TICKET = "crm_plus.report.cohort", "crm_plus.report.renewal", "crm_plus.report.ticket"
OPEN = [["state", "=", "open"]]
OVERDUE = [["amount_overdue", ">", 0]]

# name: (title, [(section title, model, domain, row groupby, [measures], chart or None)])
# chart: (type, groupby, measure)
DASHBOARDS = {
    "sales_user": ("My Sales", [
        ("My Pipeline", PIPE, OPEN, "stage_id", ["lead_count", "open_revenue"], ("bar", "stage_id", "open_revenue")),
        ("My Activities", ADOPT, [], "user_id", ["activities_done", "customer_updates", "target"],
         ("line", "week:week", "activities_done")),
        ("My At-Risk Customers", RECV, OVERDUE, "partner_id", ["amount_overdue", "days_overdue"],
         ("pie", "aging", "amount_overdue")),
    ]),
    "team_leader": ("Team", [
        ("Team Funnel", PIPE, OPEN, "stage_id", ["lead_count", "prorated_revenue"], ("bar", "stage_id", "lead_count")),
        ("Unworked Leads", PIPE, [*OPEN, ["first_touch_date", "=", False]], "user_id", ["lead_count"],
         ("bar", "user_id", "lead_count")),
        ("Ranking", PIPE, [], "user_id", ["won_revenue", "won_count", "win_rate", "activities_done"],
         ("bar", "user_id", "won_revenue")),
    ]),
    "sales_manager": ("Sales Management", [
        ("Revenue Trend", PIPE, [["state", "=", "won"]], "team_id", ["won_revenue", "won_count"],
         ("line", "date_closed:month", "won_revenue")),
        ("Conversion by Channel", PIPE, [], "source_id", ["lead_count", "opportunity_count", "won_count", "win_rate"],
         ("bar", "source_id", "won_count")),
        ("Churn", COHORT, [], "team_id", ["new_count", "retained_count", "churned_count"],
         ("line", "order_month:month", "churned_count")),
        ("Renewals", RENEW, [], "outcome", ["contract_count", "amount", "renewal_rate"],
         ("bar", "date_end:month", "amount")),
        ("Receivables", RECV, [], "aging", ["amount_residual", "amount_overdue"], ("pie", "aging", "amount_residual")),
    ]),
    "service_manager": ("Service", [
        ("SLA", TICKET, [], "team_id", ["ticket_count", "sla_compliance", "first_response_hours", "resolution_hours"],
         ("bar", "team_id", "sla_compliance")),
        ("Backlog", TICKET, [["is_closed", "=", False]], "stage_id", ["open_count", "breached_count"],
         ("bar", "stage_id", "open_count")),
        ("Satisfaction", "rating.rating", [["res_model", "=", "crm_plus.ticket"], ["consumed", "=", True]],
         "rated_partner_id", ["rating"], ("line", "create_date:month", "rating")),
    ]),
    "finance": ("Finance", [
        ("Overdue", RECV, OVERDUE, "partner_id", ["amount_overdue", "days_overdue"],
         ("pie", "aging", "amount_overdue")),
        ("Collections", RECV, [], "invoice_user_id", ["amount_total", "amount_residual", "amount_overdue"],
         ("bar", "invoice_date_due:month", "amount_residual")),
    ]),
}


def _col(index):
    return "ABCDEFGH"[index]


def build(title, sections):
    cells = {"A1": {"content": title, "style": 1}}
    pivots, figures = {}, []
    row = 3
    for number, (name, model, domain, groupby, measures, chart) in enumerate(sections, start=1):
        pid = str(number)
        pivots[pid] = {
            "type": "ODOO", "id": pid, "formulaId": pid, "name": name, "model": model, "domain": domain,
            "context": {}, "measures": [{"id": m, "fieldName": m} for m in measures],
            "rows": [{"fieldName": groupby}], "columns": [], "fieldMatching": {},
            "sortedColumn": {"groupId": [[], []], "measure": measures[0], "order": "desc"},
        }
        cells["A%d" % row] = {"content": name, "style": 2}
        cells["A%d" % (row + 1)] = {"content": "", "style": 3}
        for index, measure in enumerate(measures, start=1):
            cells["%s%d" % (_col(index), row + 1)] = {"content": '=PIVOT.HEADER(%s,"measure","%s")' % (pid, measure),
                                                      "style": 3}
        for rank in range(1, TOP + 1):
            line = row + 1 + rank
            cells["A%d" % line] = {"content": '=PIVOT.HEADER(%s,"#%s",%d)' % (pid, groupby, rank)}
            for index, measure in enumerate(measures, start=1):
                cells["%s%d" % (_col(index), line)] = {
                    "content": '=PIVOT.VALUE(%s,"%s","#%s",%d)' % (pid, measure, groupby, rank), "format": 1}
        if chart:
            kind, chart_groupby, measure = chart
            figures.append({
                "id": "crm_plus_chart_%s" % pid, "tag": "chart", "x": 700, "y": (row - 1) * ROW_PX,
                "width": 480, "height": (SECTION_ROWS - 1) * ROW_PX,
                "data": {
                    "type": "odoo_%s" % kind, "title": {"text": name}, "background": "#FFFFFF",
                    "legendPosition": "none" if kind != "pie" else "top", "stacked": False,
                    "verticalAxisPosition": "left", "fieldMatching": {},
                    "metaData": {"groupBy": [chart_groupby], "measure": measure, "order": None,
                                 "resModel": model, "mode": kind},
                    "searchParams": {"comparison": None, "context": {}, "domain": domain,
                                     "groupBy": [chart_groupby], "orderBy": []},
                },
            })
        row += SECTION_ROWS
    sheet = {
        "id": "dashboard", "name": "Dashboard", "colNumber": 8, "rowNumber": row + 2,
        "cols": {"0": {"size": 220}, **{str(i): {"size": 110} for i in range(1, 5)}}, "rows": {},
        "merges": [], "cells": cells, "conditionalFormats": [], "figures": figures, "tables": [],
        "areGridLinesVisible": False, "isVisible": True, "headerGroups": {"ROW": [], "COL": []},
        "dataValidationRules": [], "comments": {},
    }
    return {
        "version": 21, "sheets": [sheet],
        "styles": {"1": {"bold": True, "fontSize": 18}, "2": {"bold": True, "fontSize": 14, "textColor": "#01666b"},
                   "3": {"bold": True, "fillColor": "#f2f2f2"}},
        "formats": {"1": "#,##0.00"}, "borders": {}, "revisionId": "START_REVISION", "uniqueFigureIds": True,
        "settings": {}, "pivots": pivots, "pivotNextId": len(pivots) + 1, "customTableStyles": {},
        "odooVersion": 12, "globalFilters": [], "lists": {}, "listNextId": 1, "chartOdooMenusReferences": {},
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for key, (title, sections) in DASHBOARDS.items():
        path = OUT / ("crm_plus_%s_dashboard.json" % key)
        path.write_text(json.dumps(build(title, sections), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
