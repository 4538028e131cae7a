import { registry } from "@web/core/registry";
import { clickHeaderButton } from "@crm_plus/../tests/tours/crm_plus_tour_utils";

/**
 * A salesperson opens Contracts, creates a contract for a customer with one line and confirms it: the
 * discount is above the approval threshold, so the contract waits for approval.
 * Desktop: editable list of lines, header buttons. Phone (390px): line cards edited in a dialog, header
 * buttons in the cog menu.
 */
registry.category("web_tour.tours").add("crm_plus_contract_create", {
    url: "/odoo/action-crm_plus.action_crm_plus_contract",
    steps: () => [
        {
            content: "New contract",
            trigger: ".o_control_panel button.o_list_button_add:visible, .o_control_panel button.o-kanban-button-new:visible",
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "Choose the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Contract Buyer",
        },
        {
            isActive: ["desktop"],
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Contract Buyer Ltd')",
            run: "click",
        },
        // phone: the customer field opens a search dialog
        {
            isActive: ["mobile"],
            content: "Choose the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "click",
        },
        {
            isActive: ["mobile"],
            trigger: ".modal .o_control_panel button:has(.fa-search)",
            run: "click",
        },
        {
            isActive: ["mobile"],
            trigger: ".modal .o_searchview_input",
            run: "edit Tour Contract Buyer",
        },
        {
            isActive: ["mobile"],
            trigger: ".modal .o_searchview_input",
            run: "press Enter",
        },
        {
            isActive: ["mobile"],
            trigger: ".modal .o_kanban_record:contains('Tour Contract Buyer Ltd')",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "The dialog closed on the chosen customer",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=partner_id] input",
        },
        // desktop: a line in the editable list
        {
            isActive: ["desktop"],
            content: "Add a line",
            trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            isActive: ["desktop"],
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=name] textarea",
            run: "edit Tour annual support",
        },
        {
            isActive: ["desktop"],
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=price_unit] input",
            run: "edit 5000",
        },
        {
            isActive: ["desktop"],
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=discount] input",
            run: "edit 30",
        },
        // phone: a line card, edited in a dialog
        {
            isActive: ["mobile"],
            content: "Add a line",
            trigger: ".o_field_widget[name=line_ids] .o_x2m_control_panel .o_cp_buttons button",
            run: "click",
        },
        {
            isActive: ["mobile"],
            trigger: ".modal .o_field_widget[name=name] textarea",
            run: "edit Tour annual support",
        },
        {
            isActive: ["mobile"],
            trigger: ".modal .o_field_widget[name=price_unit] input",
            run: "edit 5000",
        },
        {
            isActive: ["mobile"],
            trigger: ".modal .o_field_widget[name=discount] input",
            run: "edit 30",
        },
        {
            isActive: ["mobile"],
            content: "Save the line",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            isActive: ["mobile"],
            trigger: "body:not(:has(.modal)) .o_field_widget[name=line_ids] .o_kanban_record:contains('Tour annual support')",
        },
        {
            content: "Save the contract",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: it has a reference",
            trigger: ".o_form_saved .o_field_widget[name=name]:not(:contains('New'))",
        },
        ...clickHeaderButton("action_confirm", "Confirm"),
        {
            content: "The discount needs an approval: the contract waits for it",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=pending]",
        },
    ],
});
