import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { deserializeDate, deserializeDateTime, formatDate, formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * The customer timeline on the customer form (a view widget: no controller of its own).
 *
 * It asks the server for one page at a time (res.partner crm_plus_timeline_page: keyset cursor), shows
 * a chip per kind of item to filter by, and a "Load more" button while older items exist. Each item opens
 * its record.
 */
export class CustomerTimeline extends Component {
    static template = "crm_plus.CustomerTimeline";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ kinds: [], selected: [], items: [], next: false, loading: false });
        onWillStart(async () => {
            this.state.kinds = await this.orm.call("res.partner", "crm_plus_timeline_kinds", []);
            await this.load(this.props.record.resId);
        });
        onWillUpdateProps(async (nextProps) => {
            if (nextProps.record.resId !== this.props.record.resId) {
                await this.load(nextProps.record.resId);
            }
        });
    }

    async load(resId, more = false) {
        if (!resId) {
            Object.assign(this.state, { items: [], next: false });
            return;
        }
        this.state.loading = true;
        try {
            const page = await this.orm.call("res.partner", "crm_plus_timeline_page", [[resId]], {
                kinds: this.state.selected,
                before: more ? this.state.next : false,
            });
            this.state.items = more ? [...this.state.items, ...page.items] : page.items;
            this.state.next = page.next;
        } finally {
            this.state.loading = false;
        }
    }

    isSelected(kind) {
        return this.state.selected.includes(kind);
    }

    async toggleKind(kind) {
        this.state.selected = this.isSelected(kind)
            ? this.state.selected.filter((k) => k !== kind)
            : [...this.state.selected, kind];
        await this.load(this.props.record.resId);
    }

    async loadMore() {
        await this.load(this.props.record.resId, true);
    }

    formatWhen(item) {
        return item.all_day
            ? formatDate(deserializeDate(item.date.slice(0, 10)))
            : formatDateTime(deserializeDateTime(item.date));
    }

    openItem(item) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: item.model,
            res_id: item.res_id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

registry.category("view_widgets").add("crm_plus_timeline", { component: CustomerTimeline });
