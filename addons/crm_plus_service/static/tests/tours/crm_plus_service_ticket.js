import { registry } from "@web/core/registry";
import { clickHeaderButton } from "@crm_plus/../tests/tours/crm_plus_tour_utils";

const TICKET = "巡游工单打印机故障";

/**
 * An agent opens a new ticket, answers the customer in the chatter (the first response), then sets the
 * ticket waiting for the customer. Desktop: list and header buttons. Phone (390px): kanban cards, the
 * header buttons in the cog menu.
 */
registry.category("web_tour.tours").add("crm_plus_service_answer_and_wait", {
    url: "/odoo/action-crm_plus_service.action_crm_plus_ticket",
    steps: () => [
        {
            content: "Open the ticket",
            trigger: `.o_kanban_record:contains('${TICKET}'), .o_data_row:contains('${TICKET}') td[name=name]`,
            run: "click",
        },
        {
            content: "Write to the customer",
            trigger: ".o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            content: "Type the answer",
            trigger: ".o-mail-Composer-input",
            run: "edit 请重启打印机后再试一次。",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The answer is in the chatter",
            trigger: ".o-mail-Message:contains('请重启打印机')",
        },
        ...clickHeaderButton("action_wait_customer", "Wait for the customer"),
        {
            // by field, not by label: the labels follow the user's language
            content: "The ticket waits for the customer: its SLA is paused",
            trigger: ".o_form_view .o_field_widget[name=sla_paused]",
        },
    ],
});

/**
 * The customer replied by e-mail (the test feeds it to the mail gateway): the agent finds the ticket back
 * in progress with the reply, and solves it.
 */
registry.category("web_tour.tours").add("crm_plus_service_solve", {
    url: "/odoo/action-crm_plus_service.action_crm_plus_ticket",
    steps: () => [
        {
            content: "Open the ticket",
            trigger: `.o_kanban_record:contains('${TICKET}'), .o_data_row:contains('${TICKET}') td[name=name]`,
            run: "click",
        },
        {
            content: "The ticket is back at work: its SLA runs again",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=sla_paused]))",
        },
        ...clickHeaderButton("action_solve", "Solve"),
        {
            content: "The ticket is solved",
            trigger: ".o_form_view .o_field_widget[name=date_solved]",
        },
    ],
});
