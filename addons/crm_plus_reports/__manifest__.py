{
    "name": "CRM Plus Reports",
    "summary": "Customer, pipeline and service analysis, dashboards, XLSX exports, alerts and digests",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "crm_plus",
    "website": "https://github.com/crm-plus/crm_plus",
    "license": "LGPL-3",
    "depends": [
        "crm_plus",
        "crm_plus_service",
    ],
    "external_dependencies": {
        "python": ["xlsxwriter"],
    },
    "data": [
        "security/ir.model.access.csv",
        "security/crm_plus_report_rules.xml",
        "views/crm_plus_report_customer_views.xml",
        "views/crm_plus_reports_menus.xml",
    ],
}
