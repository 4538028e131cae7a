from . import crm_plus_customer_level, res_config_settings, res_partner
