/** @odoo-module **/
/**
 * Deflection on the portal's new-ticket form: while the customer types a subject or a description, the
 * published knowledge articles matching it are shown beside the form (a read-only JSON route).
 */
import { rpc } from "@web/core/network/rpc";
import { debounce } from "@web/core/utils/timing";

function renderArticles(box, articles) {
    const list = box.querySelector(".o_crm_plus_ticket_suggestion_list");
    list.replaceChildren();
    for (const article of articles) {
        const item = document.createElement("details");
        item.className = "list-group-item o_crm_plus_ticket_suggestion";
        const title = document.createElement("summary");
        title.className = "fw-bold";
        title.textContent = article.name;
        const summary = document.createElement("div");
        summary.className = "text-muted small";
        summary.textContent = article.summary || "";
        const body = document.createElement("div");
        body.className = "mt-2 text-break";
        // the article's body is sanitized HTML (an Html field with sanitize=True)
        body.innerHTML = article.body || "";
        item.append(title, summary, body);
        list.append(item);
    }
    box.classList.toggle("d-none", !articles.length);
}

function setup() {
    const form = document.querySelector(".o_crm_plus_portal_new_ticket");
    const box = document.querySelector(".o_crm_plus_ticket_suggestions");
    if (!form || !box) {
        return;
    }
    const inputs = ["name", "description"].map((name) => form.querySelector(`[name=${name}]`));
    const update = debounce(async () => {
        const text = inputs.map((input) => input.value).join(" ").trim();
        const articles = text.length < 2 ? [] : await rpc("/my/tickets/suggest", { text });
        renderArticles(box, articles);
    }, 300);
    for (const input of inputs) {
        input.addEventListener("input", update);
    }
    if (inputs[0].value || inputs[1].value) {
        update();
    }
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
} else {
    setup();
}
