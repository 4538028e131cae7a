import { registry } from "@web/core/registry";

/**
 * A customer on the portal opens a ticket: while they type, a published article is suggested beside the
 * form; they submit it anyway, then add a reply on the ticket's page. Same steps at desktop and phone width
 * (the suggestions move under the form on a phone).
 */
registry.category("web_tour.tours").add("crm_plus_service_portal_open_and_reply", {
    url: "/my/tickets/new",
    steps: () => [
        {
            content: "Type the subject",
            trigger: ".o_crm_plus_portal_new_ticket input[name=name]",
            run: "edit 打印机卡纸",
        },
        {
            content: "A published article is suggested",
            trigger: ".o_crm_plus_ticket_suggestion summary:contains('打印机卡纸的处理')",
        },
        {
            content: "Describe the problem",
            trigger: ".o_crm_plus_portal_new_ticket textarea[name=description]",
            run: "edit 按文章操作后还是卡纸。",
        },
        {
            content: "Submit the ticket",
            trigger: ".o_crm_plus_portal_new_ticket button[type=submit]",
            run: "click",
        },
        {
            content: "Write a reply on the ticket's page",
            trigger: ".o_crm_plus_portal_reply textarea[name=body]",
            run: "edit 补充：型号 LP-100。",
        },
        {
            content: "Send it",
            trigger: ".o_crm_plus_portal_reply button[type=submit]",
            run: "click",
        },
        {
            content: "The reply is sent",
            trigger: ".o_crm_plus_portal_ticket_page .alert-success",
        },
    ],
});

/**
 * The ticket was solved: the customer rates it from its portal page.
 */
registry.category("web_tour.tours").add("crm_plus_service_portal_rate", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "Open the ticket",
            trigger: ".o_crm_plus_portal_ticket a:contains('打印机卡纸')",
            run: "click",
        },
        {
            content: "Rate it: satisfied",
            trigger: ".o_crm_plus_portal_rating a.o_crm_plus_rate_5",
            run: "click",
        },
        {
            content: "Leave a word",
            trigger: "textarea[name=feedback]",
            run: "edit 很快解决了，谢谢！",
        },
        {
            content: "Send the rating",
            trigger: "form button[type=submit]",
            run: "click",
        },
        {
            content: "Thanked",
            trigger: ".o_rating_page_thank_you",
        },
    ],
});
