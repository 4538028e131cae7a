from . import api, portal
