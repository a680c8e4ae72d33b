"""Local development and the embedded demo: SQLite and the filesystem broker unless the environment says otherwise."""

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
