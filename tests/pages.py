"""Reading the HTML of a page: every field has a label, the page says its language, has a skip
link and fits a phone."""

from __future__ import annotations

import html
from html.parser import HTMLParser


class FormAudit(HTMLParser):
    """Collects inputs and labels, to check that every visible field has a label."""

    def __init__(self):
        super().__init__()
        self.inputs, self.label_for, self.html_lang = [], set(), None
        self.has_skip_link = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "a" and a.get("href") == "#inhoud":
            self.has_skip_link = True
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.inputs.append(a)


def audit(html: str) -> FormAudit:
    parser = FormAudit()
    parser.feed(html)
    return parser


def body(response) -> str:
    """The page as it was sent."""
    return response.content.decode()


def text(response) -> str:
    """The page with its HTML entities read (&#x27; is '), as a person reads it."""
    return html.unescape(response.content.decode())
