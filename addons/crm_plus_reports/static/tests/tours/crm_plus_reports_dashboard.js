import { registry } from "@web/core/registry";

/**
 * A sales user opens their "My Sales" dashboard (started on /odoo/dashboards?dashboard_id=...).
 * Desktop: the spreadsheet grid and its charts render. Phone (390x844): the charts render one under another.
 */
registry.category("web_tour.tours").add("crm_plus_reports_dashboard", {
    steps: () => [
        {
            content: "The dashboard list shows the CRM Plus group with My Sales selected",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status))",
        },
        {
            isActive: ["desktop"],
            content: "My Sales is the active dashboard",
            trigger: ".o_search_panel_category_value.active .o_dashboard_name:contains('My Sales')",
        },
        {
            isActive: ["desktop"],
            content: "The spreadsheet renders with its grid",
            trigger: ".o_renderer .o-spreadsheet .o-grid canvas",
        },
        {
            content: "The charts render",
            trigger: ".o_spreadsheet_dashboard_action .o-chart-container canvas",
        },
    ],
});
