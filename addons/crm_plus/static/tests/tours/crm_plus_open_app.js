import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * A sales user logs in, opens the CRM Plus app and lands on the customers kanban.
 * Runs at desktop width (apps dropdown) and at phone width (burger sidebar, "All Apps").
 */
registry.category("web_tour.tours").add("crm_plus_open_app", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            isActive: ["mobile"],
            content: "Open the app sidebar",
            trigger: ".o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Show all apps",
            trigger: ".o_app_menu_sidebar .o_sidebar_topbar a.btn-primary",
            run: "click",
        },
        {
            content: "Open the CRM Plus app",
            trigger: ".o_app[data-menu-xmlid='crm_plus.menu_crm_plus_root']",
            run: "click",
        },
        {
            content: "The customers kanban lists the test customer",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Customer Ltd')",
        },
    ],
});
