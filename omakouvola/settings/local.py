"""`make run` on a developer's machine: SQLite, in-process tasks, console e-mail."""

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
VOTE_SECRET = env("VOTE_SECRET", default="local-development-vote-secret")
