"""The shared date and time fields: dates typed and shown as dd-mm-jjjj whatever the browser's
language, forgiving what people type, refusing the rest in plain Dutch; and every form of the
project uses them."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

from shared.forms import DateField, TimeField

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("billing", "cooperatives", "shared", "tenants", "platform")
DECEMBER_3 = dt.date(2026, 12, 3)


class Appointment(forms.Form):
    date = DateField(label="Datum")
    start_time = TimeField(label="Begintijd", required=False)


@pytest.mark.parametrize(
    "typed",
    [
        "3-12-2026",
        "03-12-2026",
        "3/12/2026",
        "03/12/2026",
        "3.12.2026",
        "3 12 2026",
        " 3 - 12 - 2026 ",
        "03122026",  # a phone's number pad has no dash
        "2026-12-03",  # ISO, as scripts and the API send it
    ],
)
def test_a_date_is_read_day_first_however_it_is_written(typed):
    form = Appointment({"date": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == DECEMBER_3


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12/3", "Vul een datum in als dag-maand-jaar, bijvoorbeeld 25-12-2026."),
        ("3-12-26", "Vul een datum in als dag-maand-jaar, bijvoorbeeld 25-12-2026."),
        ("3 december", "Vul een datum in als dag-maand-jaar, bijvoorbeeld 25-12-2026."),
        ("2026/12/03", "Vul een datum in als dag-maand-jaar, bijvoorbeeld 25-12-2026."),
        ("morgen", "Vul een datum in als dag-maand-jaar, bijvoorbeeld 25-12-2026."),
        ("31-02-2026", "Die datum bestaat niet."),
        ("12-25-2026", "Die datum bestaat niet."),  # month first: there is no 25th month
    ],
)
def test_anything_else_is_refused_with_one_dutch_sentence(typed, message):
    form = Appointment({"date": typed})
    assert not form.is_valid()
    assert "date" not in form.cleaned_data
    [error] = form.errors["date"]
    assert error.startswith(message)
    assert form.errors.as_data()["date"][0].code == "invalid"


def test_an_empty_required_date_is_asked_for():
    form = Appointment({"date": ""})
    assert not form.is_valid()
    assert form.errors["date"] == ["Vul een datum in."]


def test_the_message_follows_the_members_language():
    with translation.override("en"):
        form = Appointment({"date": "31-02-2026"})
        form.is_valid()
        assert form.errors["date"][0].startswith("That date does not exist.")


@pytest.mark.parametrize(
    ("typed", "time"),
    [
        ("14:30", dt.time(14, 30)),
        ("14.30", dt.time(14, 30)),
        ("1430", dt.time(14, 30)),
        ("9:05", dt.time(9, 5)),
        ("930", dt.time(9, 30)),
        ("9", dt.time(9, 0)),
        ("9 uur", dt.time(9, 0)),
        ("14u30", dt.time(14, 30)),
    ],
)
def test_a_time_is_read_as_hours_and_minutes(typed, time):
    form = Appointment({"date": "3-12-2026", "start_time": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_time"] == time


@pytest.mark.parametrize("typed", ["25:00", "14:3", "14:75", "half drie", "2 pm"])
def test_a_time_that_is_not_one_is_refused_in_dutch(typed):
    form = Appointment({"date": "3-12-2026", "start_time": typed})
    assert not form.is_valid()
    assert form.errors["start_time"] == ["Vul een tijd in als uren:minuten, bijvoorbeeld 14:30."]


def test_the_field_is_plain_text_with_a_numeric_keyboard_and_shows_dd_mm_jjjj():
    html = str(Appointment(initial={"date": DECEMBER_3, "start_time": dt.time(9, 5)}))
    date_input = re.search(r'<input[^>]*name="date"[^>]*>', html).group(0)
    assert 'type="text"' in date_input and 'inputmode="numeric"' in date_input
    assert 'value="03-12-2026"' in date_input and 'placeholder="dd-mm-jjjj"' in date_input
    # The help text says how, and the field points to it for screen readers.
    assert 'aria-describedby="id_date_helptext"' in date_input
    assert "Dag-maand-jaar, bijvoorbeeld 25-12-2026." in html
    assert 'value="09:05"' in html


def test_what_was_typed_stays_in_the_field_after_an_error():
    html = str(Appointment({"date": "31-02-2026", "start_time": "9"}))
    assert 'value="31-02-2026"' in html and 'aria-invalid="true"' in html


def test_every_form_of_the_project_takes_dates_and_times_through_the_shared_fields():
    """No browser date picker (it follows the browser's locale) and no date field of Django's
    own (it reads the server's formats): every form, page filter and template uses
    shared.forms."""
    own = REPO_ROOT / "shared" / "forms.py"
    offending = []
    for folder in SOURCES:
        for path in (REPO_ROOT / folder).rglob("*"):
            if path == own or "migrations" in path.parts or path.suffix not in (".py", ".html"):
                continue
            text = path.read_text(encoding="utf-8")
            patterns = (
                r"forms\.(DateField|TimeField|DateTimeField|DateInput|TimeInput)\b",
                r"django_filters\.(DateFilter|TimeFilter|DateTimeFilter)\(",
                r"""type=["']?(date|time|datetime-local)\b""",
                r"""["']type["']\s*:\s*["'](date|time)["']""",
            )
            for pattern in patterns:
                for match in re.finditer(pattern, text):
                    offending.append(f"{path.relative_to(REPO_ROOT)}: {match.group(0)}")
    assert offending == []


def test_dates_on_pages_are_written_day_first():
    """A date on a page is 03-12-2026 or written out (3 december 2026): never 3-12-2026 without
    its zero, never month first."""
    offending = []
    for folder in SOURCES:
        for path in (REPO_ROOT / folder).rglob("*"):
            if path.suffix not in (".html", ".txt", ".py") or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for match in re.finditer(
                r"""date(?:_format\([^,]+,|:)\s*["'](j-n-Y|n/j/Y|m/d/Y|Y-m-d)""", text
            ):
                offending.append(f"{path.relative_to(REPO_ROOT)}: {match.group(0)}")
    assert offending == []
