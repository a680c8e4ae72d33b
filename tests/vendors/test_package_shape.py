"""Issue 16 item 2: every vendor package has the same files with the same meaning (vendors/base/README.md).

A file a vendor does not need is absent only where its provider says so: no `handlers.py` without
`receives_webhooks`, no `resources.py` without sync resources, no `outbound.py`/`signals.py` without operations.
Every other module is named in the package's README, so nothing hides under a name of its own.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings

from portal.integrations.registry import all_providers

ALWAYS = ("README.md", "__init__.py", "client.py", "paths.py", "mapping.py", "provider.py", "sandbox.py")
ALWAYS += ("sandbox_world.py",)
PROVIDER_MAX_LINES = 150

PACKAGES = {path.rsplit(".", 1)[-1]: path for path in settings.VENDOR_PROVIDERS}


def _folder(name: str) -> Path:
    return Path(importlib.import_module(PACKAGES[name]).__file__).parent


def _provider(name: str):
    return next(p for p in all_providers().values() if type(p).__module__ == f"{PACKAGES[name]}.provider")


def _expected(name: str) -> set[str]:
    provider = _provider(name)
    expected = set(ALWAYS)
    expected |= {"handlers.py"} if provider.receives_webhooks else set()
    expected |= {"resources.py"} if provider.resources else set()
    expected |= {"outbound.py", "signals.py"} if provider.operations else set()
    return expected


def _present(folder: Path) -> set[str]:
    names = {p.name for p in folder.iterdir() if p.suffix in {".py", ".md"}}
    names |= {f"{p.name}.py" for p in folder.iterdir() if (p / "__init__.py").exists()}  # schemas/ as a package
    return names


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_a_vendor_package_has_the_files_its_provider_implies(name):
    folder = _folder(name)
    present = _present(folder)
    assert _expected(name) - present == set(), "missing"
    optional = {"handlers.py", "resources.py", "outbound.py", "signals.py"} - _expected(name)
    assert optional & present == set(), "a file its provider says it has no use for"
    assert "schemas.py" in present, "schemas.py or a schemas/ package"


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_the_provider_module_only_registers(name):
    source = (_folder(name) / "provider.py").read_text()
    tree = ast.parse(source)
    functions = [node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    assert (functions, classes) == ([], ["Provider"])
    assert len(source.splitlines()) <= PROVIDER_MAX_LINES


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_every_module_is_named_in_the_package_readme(name):
    folder = _folder(name)
    readme = (folder / "README.md").read_text()
    modules = {f"`{p.name}`" for p in folder.glob("*.py") if p.name != "__init__.py"}
    modules |= {f"`{p.name}/" for p in folder.iterdir() if (p / "__init__.py").exists()}  # `schemas/x.py`
    assert {module for module in modules if module not in readme} == set()
