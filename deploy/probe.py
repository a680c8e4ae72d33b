"""Container health probe: GET a path of the local web process; exit 0 on 200, 1 otherwise (standard library only,
so a probe costs no Django start-up). Usage: `python deploy/probe.py /readyz`.

It names the first ALLOWED_HOSTS entry as Host and says the proxy spoke HTTPS, as the real proxy does.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main(path: str) -> int:
    host = (os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip() or "localhost").lstrip(".")
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{path}"
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/readyz"))
