"""Local development and the embedded demo: SQLite and the filesystem broker unless the environment says otherwise."""

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env_bool

# On for a developer's own runs; bin/demo sets DEBUG=0 so the demo shows the pages users see (issue 17).
DEBUG = env_bool("DEBUG", True)
