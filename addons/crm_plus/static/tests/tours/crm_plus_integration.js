import { registry } from "@web/core/registry";
import { clickHeaderButton } from "@crm_plus/../tests/tours/crm_plus_tour_utils";

/**
 * An integration manager opens Robots and Webhooks, creates a signed webhook with a subscription to
 * "Lead Assigned" and saves it.
 * Desktop: editable list of subscriptions. Phone (390px): subscription cards edited in a dialog.
 */
registry.category("web_tour.tours").add("crm_plus_integration_target", {
    url: "/odoo/action-crm_plus.action_crm_plus_integration_target",
    steps: () => [
        {
            content: "New target",
            trigger: ".o_control_panel button.o_list_button_add:visible, .o_control_panel button.o-kanban-button-new:visible",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit 巡游订单系统 Webhook",
        },
        {
            content: "A generic webhook (the default type)",
            trigger: ".o_form_view .o_field_widget[name=kind] select",
            run: 'select "webhook"',
        },
        {
            content: "The receiver's URL",
            trigger: ".o_form_view .o_field_widget[name=url] input",
            run: "edit http://127.0.0.1:8069/tour-receiver",
        },
        {
            content: "The signature secret",
            trigger: ".o_form_view .o_field_widget[name=secret] input",
            run: "edit tour-secret",
        },
        // desktop: a subscription in the editable list
        {
            isActive: ["desktop"],
            content: "Add a subscription",
            trigger: ".o_field_widget[name=subscription_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            isActive: ["desktop"],
            trigger: ".o_field_widget[name=subscription_ids] .o_data_row .o_field_widget[name=name] input",
            run: "edit 新线索通知",
        },
        {
            isActive: ["desktop"],
            trigger: ".o_field_widget[name=subscription_ids] .o_data_row .o_field_widget[name=event] select",
            run: 'select "lead_assigned"',
        },
        // phone: a subscription card, edited in a dialog
        {
            isActive: ["mobile"],
            content: "Add a subscription",
            trigger: ".o_field_widget[name=subscription_ids] .o_x2m_control_panel .o_cp_buttons button",
            run: "click",
        },
        {
            isActive: ["mobile"],
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit 新线索通知",
        },
        {
            isActive: ["mobile"],
            trigger: ".modal .o_field_widget[name=event] select",
            run: 'select "lead_assigned"',
        },
        {
            isActive: ["mobile"],
            content: "Keep the subscription",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            isActive: ["mobile"],
            trigger: "body:not(:has(.modal)) .o_field_widget[name=subscription_ids] .o_kanban_record:contains('新线索通知')",
        },
        {
            content: "Save the target",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved .o_field_widget[name=name] input",
        },
    ],
});

/**
 * An integration manager opens Deliveries (grouped by state), finds the dead delivery and retries it: it
 * waits for the next run of the delivery cron.
 * Desktop: list grouped by state. Phone (390px): kanban columns by state, header button in the cog menu.
 */
registry.category("web_tour.tours").add("crm_plus_outbox_retry", {
    url: "/odoo/action-crm_plus.action_crm_plus_outbox",
    steps: () => [
        // by data, not labels: the labels follow the user's language
        {
            isActive: ["desktop"],
            content: "Deliveries grouped by state: open a group",
            trigger: ".o_list_view .o_group_header:not(.o_group_open)",
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "Open the other group",
            trigger: ".o_list_view .o_group_header.o_group_open ~ .o_group_header:not(.o_group_open)",
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "The sent and the dead delivery are in two groups",
            trigger: ".o_list_view .o_data_row:contains('巡游已送达投递')",
        },
        {
            isActive: ["desktop"],
            content: "Open the dead delivery",
            trigger: ".o_list_view .o_data_row:contains('巡游死信投递') td.o_data_cell[name=summary]",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "The sent and the dead delivery are in two columns",
            trigger: ".o_kanban_view .o_kanban_group:has(.o_kanban_record:contains('巡游已送达投递')):not(:has(.o_kanban_record:contains('巡游死信投递')))",
        },
        {
            isActive: ["mobile"],
            content: "Open the dead delivery from its column",
            trigger: ".o_kanban_view .o_kanban_group .o_kanban_record:contains('巡游死信投递')",
            run: "click",
        },
        {
            content: "It is dead, with its last error",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value=dead]",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=last_error]:contains('HTTP 503')",
        },
        ...clickHeaderButton("action_retry", "Retry"),
        // the record read again: tries counted anew, the error gone (its waiting state is checked on the
        // server by the test: Odoo's status bar may keep its previous step when it re-renders while
        // adjusting its width, a race of the web client)
        {
            content: "It waits for the next delivery run: tries counted anew",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=last_error]:contains('503'))) .o_field_widget[name=attempts]:contains('0')",
        },
    ],
});
