import { registry } from "@web/core/registry";

/**
 * A salesperson opens a customer's timeline, keeps only the orders, loads the older ones and opens one.
 * The same steps at desktop and phone width (the chips wrap, the items stack).
 */
// no url of its own: the test opens the customer's form (/odoo/action-crm_plus.action_crm_plus_customers/<id>)
registry.category("web_tour.tours").add("crm_plus_timeline", {
    steps: () => [
        {
            content: "Open the timeline page of the customer",
            trigger: ".o_form_view .o_notebook .nav-link[name=crm_plus_timeline]",
            run: "click",
        },
        {
            content: "The newest items, of several kinds, with a Load more button",
            trigger: ".o_crm_plus_timeline:has(.o_crm_plus_timeline_item[data-kind=message]):has(.o_crm_plus_timeline_more)",
        },
        {
            content: "Keep only the orders",
            trigger: ".o_crm_plus_timeline_kinds button[data-kind=order]",
            run: "click",
        },
        {
            content: "Only orders are listed",
            trigger: ".o_crm_plus_timeline_kinds button[data-kind=order].btn-primary",
        },
        {
            trigger: ".o_crm_plus_timeline_items:has(.o_crm_plus_timeline_item[data-kind=order]):not(:has(.o_crm_plus_timeline_item:not([data-kind=order])))",
        },
        {
            content: "Load the older orders",
            trigger: ".o_crm_plus_timeline_more",
            run: "click",
        },
        {
            content: "All 45 orders are listed, no more to load",
            trigger: ".o_crm_plus_timeline:not(:has(.o_crm_plus_timeline_more)) .o_crm_plus_timeline_item:nth-child(45)",
        },
        {
            content: "Open the oldest order",
            trigger: ".o_crm_plus_timeline_item:nth-child(45) .o_crm_plus_timeline_link",
            run: "click",
        },
        {
            content: "The order is open",
            trigger: ".o_form_view .o_field_widget[name=order_line]",
        },
    ],
});
