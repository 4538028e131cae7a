{
    "name": "CRM Plus",
    "summary": "Clean customer master data, lead routing, customer pool, lifecycle and contracts",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "crm_plus",
    "website": "https://github.com/crm-plus/crm_plus",
    "license": "LGPL-3",
    "application": True,
    "depends": [
        "base_setup",
        "mail",
        "contacts",
        "crm",
        "sale_management",
        "account",
    ],
    "external_dependencies": {
        "python": [
            "phonenumbers",
            "python-stdnum",
            "pypinyin",
            "opencc",
            "xlsxwriter",
            "requests",
        ],
    },
    "data": [
        "security/crm_plus_groups.xml",
        "security/ir.model.access.csv",
        "data/crm_plus_customer_level_data.xml",
        "views/crm_plus_customer_level_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_plus_menus.xml",
    ],
    "demo": [
        "demo/crm_plus_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_plus/static/tests/tours/**/*",
        ],
    },
}
