{
    "name": "CRM Plus Service",
    "summary": "Service tickets with SLAs, escalation, portal, satisfaction and knowledge base",
    "version": "18.0.1.1.0",
    "category": "Services/Helpdesk",
    "author": "crm_plus",
    "website": "https://github.com/crm-plus/crm_plus",
    "license": "LGPL-3",
    "depends": [
        "crm_plus",
        "portal",
        "resource",
    ],
    "external_dependencies": {
        "python": ["chinesecalendar", "holidays"],
    },
    "data": [
        "security/crm_plus_service_groups.xml",
        "security/ir.model.access.csv",
        "security/crm_plus_ticket_rules.xml",
        "security/crm_plus_sla_rules.xml",
        "data/crm_plus_ticket_stage_data.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_plus_ticket_views.xml",
        "views/crm_plus_ticket_stage_views.xml",
        "views/crm_plus_ticket_team_views.xml",
        "views/crm_plus_ticket_type_views.xml",
        "views/crm_plus_sla_policy_views.xml",
        "views/crm_plus_china_day_views.xml",
        "views/crm_plus_contract_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_plus_service_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_plus_service/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/crm_plus_service_demo.xml",
    ],
}
