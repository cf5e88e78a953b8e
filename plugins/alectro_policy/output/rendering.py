"""What the plugin renders itself with Jinja: the edition stamp under a page's title, the consent banner, the
Atom feed; and where the stamp goes in a page.

Templates travel with the package (``templates/``, ``consent/templates/``); autoescaping is on everywhere.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from .. import urls
from ..dates import long_date
from ..history.editions import DocumentEditions
from ..text.plain import displayable
from .publication import feed_title, feed_updates

_FIRST_H1_END = re.compile(r"</h1>", re.IGNORECASE)


def templates(zone: ZoneInfo) -> Environment:
    """Return the Jinja environment of the plugin's own templates, with their filters (dates in ``zone``)."""
    environment = Environment(
        loader=ChoiceLoader(
            [PackageLoader("alectro_policy", "templates"), PackageLoader("alectro_policy.consent", "templates")]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=False,
    )
    environment.filters["long_date"] = long_date
    # XML 1.0 forbids control characters: policy text and settings reach the feed through this filter.
    environment.filters["displayable"] = displayable
    environment.filters["feed_updates"] = lambda document: feed_updates(document, zone)
    environment.filters["feed_title"] = feed_title
    environment.filters["web_path"] = urls.web_path
    return environment


def stamped(environment: Environment, html: str, page_url: str, history: DocumentEditions, preview: bool) -> str:
    """Return the page ``html`` of the document ``history`` (its page at ``page_url``, as ``urls.page_url`` gives
    it) with its edition stamp right after its first ``</h1>``, or first when it has no title. ``preview``: the
    draft's changes have a page to link to."""
    draft_page = urls.draft_url(page_url)
    stamp = environment.get_template("stamp.html").render(
        current=history.current,
        draft=history.draft,
        history_url=urls.relative(page_url, urls.history_url(page_url)),
        draft_changes_url=urls.relative(page_url, draft_page) if preview else None,
    )
    html, found = _FIRST_H1_END.subn(lambda match: match.group(0) + stamp, html, count=1)
    return html if found else stamp + html
