from tests.integrations.fixtures import intelycare, sandbox  # noqa: F401
