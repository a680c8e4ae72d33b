from tests.support.fake_vendor import fake_connection  # noqa: F401
from tests.vendors.intelycare.fixtures import intelycare, sandbox  # noqa: F401
