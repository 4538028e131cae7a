import { registry } from "@web/core/registry";

/**
 * A sales user starts a new customer whose phone (written differently) belongs to an existing one:
 * the form warns before saving, naming the existing customer.
 */
registry.category("web_tour.tours").add("crm_plus_duplicate_warning", {
    url: "/odoo/action-crm_plus.action_crm_plus_customers",
    steps: () => [
        {
            content: "New customer",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Type the company name",
            trigger: ".o_field_widget[name=name] textarea:visible, .o_field_widget[name=name] input:visible",
            run: "edit 天津新世纪化工有限公司",
        },
        {
            content: "Type the phone as the salesperson heard it",
            trigger: ".o_field_widget[name=phone] input",
            run: "edit 022-2345 6789",
        },
        {
            content: "Leave the field so the form recomputes",
            trigger: ".o_field_widget[name=email] input",
            run: "click",
        },
        {
            content: "The form names the existing customer before saving",
            trigger: ".o_crm_plus_duplicate_alert:contains('Tour Existing Chemicals')",
        },
        {
            content: "Discard: nothing is created",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            content: "Back on the customers, the form is gone",
            trigger: ".o_action_manager:not(:has(.o_form_view)) .o_kanban_record:contains('Tour Existing Chemicals')",
        },
    ],
});
