"""Chart.js reaches pages from our own static files, never a CDN: the committed build under static/vendor/ is
byte for byte the one package-lock.json pins (bin/test's `npm ci` installs it), with its licence beside it."""

from __future__ import annotations

import json

from tests.support.processes import ROOT

VENDORED = ROOT / "static" / "vendor"


def test_the_committed_chartjs_is_the_pinned_npm_build():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/chart.js"]["version"]
    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["chart.js"] == version  # exact pin
    committed = VENDORED / f"chart.js-{version}"
    assert (committed / "LICENSE.md").read_text().startswith("The MIT License")
    built = ROOT / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js"
    assert built.exists(), "run `npm ci` at the repository root (bin/test does)"
    assert (committed / "chart.umd.min.js").read_bytes() == built.read_bytes()
    assert f"chart.js-{version}/chart.umd.min.js" in (ROOT / "templates" / "dashboard" / "today.html").read_text()
