/**
 * Steps shared by the crm_plus tours (desktop and phone width).
 */

/**
 * Click a button of the form's header: in the status bar at desktop width, in the action menu (cog) on a
 * phone, where the header buttons move.
 *
 * @param {string} name the button's method or action name
 * @param {string} content what the step says
 * @returns {Array} the tour steps
 */
export function clickHeaderButton(name, content) {
    return [
        {
            isActive: ["desktop"],
            content,
            trigger: `.o_statusbar_buttons button[name=${name}]`,
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Open the actions",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content,
            trigger: `.o-dropdown--menu button[name=${name}]`,
            run: "click",
        },
    ];
}
