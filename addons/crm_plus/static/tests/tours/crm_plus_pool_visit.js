import { registry } from "@web/core/registry";
import { clickHeaderButton } from "@crm_plus/../tests/tours/crm_plus_tour_utils";

/**
 * A salesperson opens the customer pool (公海) and claims a customer: it leaves the pool.
 * Desktop: list with a Claim button per row. Phone (390px): cards with a Claim button.
 */
registry.category("web_tour.tours").add("crm_plus_pool_claim", {
    url: "/odoo/action-crm_plus.action_crm_plus_pool_customers",
    steps: () => [
        {
            isActive: ["desktop"],
            content: "Claim the pool customer from its row",
            trigger: ".o_list_view .o_data_row:contains('巡游公海认领测试有限公司') button[name=action_crm_plus_claim]",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Claim the pool customer from its card",
            trigger: ".o_kanban_view .o_kanban_record:contains('巡游公海认领测试有限公司') button[name=action_crm_plus_claim]",
            run: "click",
        },
        {
            content: "The salesperson is told the customer is theirs",
            trigger: ".o_notification:contains('巡游公海认领测试有限公司')",
        },
        {
            content: "The customer left the pool",
            trigger: ".o_action_manager:not(:has(.o_data_row:contains('巡游公海认领测试有限公司'), .o_kanban_record:contains('巡游公海认领测试有限公司')))",
        },
    ],
});

/**
 * A salesperson opens a planned return visit (回访), marks it done with the outcome and four stars.
 * Desktop: list, header button. Phone (390px): kanban grouped by status, header button in the cog menu.
 */
registry.category("web_tour.tours").add("crm_plus_return_visit_done", {
    url: "/odoo/action-crm_plus.action_crm_plus_return_visit",
    steps: () => [
        {
            isActive: ["desktop"],
            content: "Open the planned visit",
            trigger: ".o_list_view .o_data_row:contains('巡游回访测试贸易有限公司') td.o_data_cell[name=partner_id]",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Open the planned visit",
            trigger: ".o_kanban_view .o_kanban_record:contains('巡游回访测试贸易有限公司')",
            run: "click",
        },
        {
            content: "The visit is planned",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value=planned]",
        },
        ...clickHeaderButton("action_open_done_wizard", "Mark done"),
        {
            // by position: the labels follow the user's language
            content: "Four stars: satisfied",
            trigger: ".modal .o_field_widget[name=satisfaction] a.o_priority_star:nth-child(4)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=satisfaction] a.o_priority_star:nth-child(4)[aria-checked=true]",
        },
        {
            content: "What the customer said",
            trigger: ".modal .o_field_widget[name=outcome] textarea",
            run: "edit 客户满意，下季度续订",
        },
        {
            content: "Confirm",
            trigger: ".modal footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The visit is done",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status .o_arrow_button_current[data-value=done]",
        },
    ],
});
