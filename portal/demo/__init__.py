"""The demo: its users, its data across every domain app, and the README's screenshots (issue 16, item 5).

It sits above the domain apps, which each seed their own records in `portal/<app>/demo.py`; `core` knows none of
them. Nothing here runs in a request: only the management commands that `bin/demo` and CI call.
"""
