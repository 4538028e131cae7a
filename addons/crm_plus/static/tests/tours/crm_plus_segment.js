import { registry } from "@web/core/registry";
import { clickHeaderButton } from "@crm_plus/../tests/tours/crm_plus_tour_utils";

/**
 * A salesperson opens a saved segment and its customers: the customer list is filtered by "In Segment".
 * Desktop: segment list, header button. Phone (390px): segment cards, header button in the cog menu.
 */
registry.category("web_tour.tours").add("crm_plus_segment_open", {
    url: "/odoo/action-crm_plus.action_crm_plus_segment",
    steps: () => [
        {
            isActive: ["desktop"],
            content: "Open the segment",
            trigger: ".o_list_view .o_data_row:contains('巡游分群') td.o_data_cell[name=name]",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Open the segment",
            trigger: ".o_kanban_view .o_kanban_record:contains('巡游分群')",
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "It counts one customer",
            trigger: ".o_form_view .oe_stat_button .o_stat_value:contains('1')",
        },
        ...clickHeaderButton("action_open_customers", "Open its customers"),
        {
            isActive: ["mobile"],
            content: "Show the search (folded on a phone)",
            trigger: ".o_control_panel button:has(.fa-search)",
            run: "click",
        },
        {
            content: "The customers are filtered by the segment",
            trigger: ".o_searchview_facet:contains('巡游分群')",
        },
        {
            content: "The tagged customer is listed",
            trigger: ".o_kanban_record:contains('巡游分群客户甲'), .o_data_row:contains('巡游分群客户甲')",
        },
        {
            content: "The other customer is not",
            trigger: ".o_action_manager:not(:has(.o_kanban_record:contains('巡游分群客户乙'), .o_data_row:contains('巡游分群客户乙')))",
        },
    ],
});

/**
 * A salesperson creates a private segment of their customers and saves it.
 */
registry.category("web_tour.tours").add("crm_plus_segment_create", {
    url: "/odoo/action-crm_plus.action_crm_plus_segment",
    steps: () => [
        {
            content: "New segment",
            trigger: ".o_control_panel button.o_list_button_add:visible, .o_control_panel button.o-kanban-button-new:visible",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit 巡游新建分群",
        },
        {
            content: "The conditions are edited with the domain editor",
            trigger: ".o_field_widget[name=domain]",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved .o_field_widget[name=name] input",
        },
        ...clickHeaderButton("action_open_customers", "Open its customers"),
        {
            isActive: ["mobile"],
            content: "Show the search (folded on a phone)",
            trigger: ".o_control_panel button:has(.fa-search)",
            run: "click",
        },
        {
            content: "The customers are filtered by the new segment",
            trigger: ".o_searchview_facet:contains('巡游新建分群')",
        },
        {
            trigger: ".o_kanban_record:contains('巡游分群客户甲'), .o_data_row:contains('巡游分群客户甲')",
        },
    ],
});
