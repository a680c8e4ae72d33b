from tests.vendors.intelycare.fixtures import intelycare, sandbox  # noqa: F401
