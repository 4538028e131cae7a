from . import test_customer_level
from . import test_dedup
from . import test_identity_lock
from . import test_import
from . import test_partner_keys
from . import test_roles
from . import test_tools
from . import test_ui
