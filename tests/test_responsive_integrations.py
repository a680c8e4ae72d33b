"""Issue 17 item 8: the Integrations pages (overview with its sync runs, a connection, a run, the webhook inbox, the
outbox) were unstyled and wider than the screen. They now fit a 390 px phone and a 1280 px desktop, in the house style,
with long vendor errors and webhook URLs on them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.support.browser import sign_in
from tests.support.walkthrough import admin_urls, make_walkthrough

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Each table's look and whether it scrolls inside its own box.
TABLES_JS = """() => [...document.querySelectorAll('main table')].map((t) => ({
  id: t.id || t.closest('[id]').id, collapse: getComputedStyle(t).borderCollapse,
  background: getComputedStyle(t).backgroundColor, scrolls: t.scrollWidth > t.clientWidth + 1}))"""


@pytest.mark.parametrize("width", [390, 1280])
def test_integrations_pages_fit_the_screen_in_the_house_style(browser, live_server, portal_admin, width):
    records = make_walkthrough()
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    sign_in(context, portal_admin, live_server.url)
    page = context.new_page()
    urls = [url for url in admin_urls(records) if url.startswith(reverse("integrations:overview"))]
    assert len(urls) == 5
    # A connection's page and a run's show one record; the others list theirs in a table.
    one_record = {
        reverse("integrations:connection", args=[records.connection_pk]),
        reverse("integrations:sync-run", args=[records.sync_run_pk]),
    }
    try:
        for url in urls:
            page.goto(live_server.url + url)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{url} is {scroll_width} px wide on a {width} px screen"
            tables = page.evaluate(TABLES_JS)
            for table in tables:
                assert table["collapse"] == "collapse", f"unstyled table {table['id']} on {url}"
                assert table["background"] == "rgb(255, 255, 255)", f"unstyled table {table['id']} on {url}"
                if width == 1280:
                    assert not table["scrolls"], f"table {table['id']} on {url} does not fit a desktop"
            if url not in one_record:
                assert tables, f"{url} lists its rows in a table"
    finally:
        context.close()
