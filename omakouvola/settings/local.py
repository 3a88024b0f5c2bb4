"""`make run` on a developer's machine: SQLite, in-process tasks, console e-mail."""

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
VOTE_SECRET = env("VOTE_SECRET", default="local-development-vote-secret")
# The demo's staff have no authenticator app: locally the admin opens with the password
# (set MFA_REQUIRED_FOR_STAFF=true to try the second factor). Production requires it.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=False)

# A local test identity service (Suomi.fi and MPASSid stand-ins with the demo people) so a
# strong-identification ballot can be tried end to end. production.py refuses it.
IDENTIFICATION_DEV_IDP = env.bool("IDENTIFICATION_DEV_IDP", default=True)
if IDENTIFICATION_DEV_IDP:
    from identification.devsettings import dev_identification_settings

    globals().update(dev_identification_settings(OMAKOUVOLA_SITE_URL, STRONG_IDENTITY_PROVIDER))
