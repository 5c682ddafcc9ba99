"""A new cooperative whose first board member never confirms the email address: a mail on day
five, archived on day seven, by the daily task (frozen clocks). Alfa's founder confirms through
the link; beta's does not. Running the task again changes nothing more."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import time_machine
from django.core import mail
from django.utils import timezone

from tenants.confirmation import founder_confirmation_path
from tenants.lifecycle import unconfirmed_daily
from tenants.models import Cooperative
from tests.clients import client_for


def state(coop) -> tuple[str, bool, bool]:
    row = Cooperative.objects.get(pk=coop.cooperative.pk)
    return row.status, row.founder_confirmed_at is not None, row.unconfirmed_warned_at is not None


def test_an_unconfirmed_cooperative_is_warned_on_day_five_and_archived_on_day_seven(alfa, beta):
    start = max(alfa.cooperative.created_at, beta.cooperative.created_at)
    confirmed = client_for(alfa.host).get(founder_confirmation_path(cooperative=alfa.cooperative))
    assert confirmed.status_code == 200
    assert "Uw e-mailadres is bevestigd" in confirmed.content.decode()
    assert state(alfa) == ("trial", True, False)

    with time_machine.travel(start + timedelta(days=4, hours=23), tick=False):
        assert unconfirmed_daily() == {"warned": [], "archived": []}
    assert mail.outbox == []

    with time_machine.travel(start + timedelta(days=5, hours=1), tick=False):
        assert unconfirmed_daily() == {"warned": ["beta"], "archived": []}
        assert unconfirmed_daily() == {"warned": [], "archived": []}  # once
    assert [m.to for m in mail.outbox] == [[beta.board_email]]
    assert "nog niet bevestigd" in mail.outbox[0].body
    assert (state(alfa), state(beta)) == (("trial", True, False), ("trial", False, True))

    with time_machine.travel(start + timedelta(days=7, hours=1), tick=False):
        assert unconfirmed_daily() == {"warned": [], "archived": ["beta"]}
        assert unconfirmed_daily() == {"warned": [], "archived": []}
    assert (state(alfa), state(beta)) == (("trial", True, False), ("archived", False, True))
    assert client_for(beta.host).get("/").status_code == 410
    assert client_for(alfa.host).get("/inloggen/").status_code == 200
    assert len(mail.outbox) == 1


def test_the_reminders_link_confirms_and_the_cooperative_stays(alfa, beta):
    start = max(alfa.cooperative.created_at, beta.cooperative.created_at)
    with time_machine.travel(start + timedelta(days=5, hours=1), tick=False):
        assert sorted(unconfirmed_daily()["warned"]) == ["alfa", "beta"]
        beta_mail = next(m for m in mail.outbox if m.to == [beta.board_email])
        link = re.search(r"https?://[^\s]+/bevestigen/[^\s]+/", beta_mail.body).group(0)
        assert client_for(beta.host).get(link.split(beta.host, 1)[1]).status_code == 200

    with time_machine.travel(start + timedelta(days=7, hours=1), tick=False):
        assert unconfirmed_daily() == {"warned": [], "archived": ["alfa"]}
    assert state(beta) == ("trial", True, True)
    assert state(alfa)[0] == "archived"


def test_another_cooperatives_link_confirms_nothing(alfa, beta):
    alfas_path = founder_confirmation_path(cooperative=alfa.cooperative)

    refused = client_for(beta.host).get(alfas_path)

    assert refused.status_code == 400
    assert "Deze link werkt niet" in refused.content.decode()
    assert (state(alfa)[1], state(beta)[1]) == (False, False)


def test_a_cooperative_not_in_its_trial_is_left_alone_and_none_goes_without_warning(alfa, beta):
    """Alfa is active (a paying cooperative): never touched. The task did not run for beta
    until day eight: it is warned then, and archived two days later, not at once."""
    Cooperative.objects.filter(pk=alfa.cooperative.pk).update(status="active")
    start = max(alfa.cooperative.created_at, beta.cooperative.created_at)
    with time_machine.travel(start + timedelta(days=8), tick=False):
        assert unconfirmed_daily() == {"warned": ["beta"], "archived": []}
    with time_machine.travel(start + timedelta(days=9, hours=23), tick=False):
        assert unconfirmed_daily() == {"warned": [], "archived": []}
    with time_machine.travel(start + timedelta(days=10), tick=False):
        assert unconfirmed_daily() == {"warned": [], "archived": ["beta"]}
    assert state(alfa) == ("active", False, False)
    assert state(beta) == ("archived", False, True)
    assert timezone.now() < start + timedelta(days=1)  # the clock is back


def test_every_beat_task_is_known_to_a_fresh_worker():
    """A worker imports each app's tasks.py and CELERY_IMPORTS (tenants.lifecycle cannot sit
    in tenants.tasks): every task the beat schedule names is registered there. Checked in a
    fresh interpreter, where nothing else has imported the modules."""
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from noaber.celery import app\n"
        "app.loader.import_default_modules()\n"
        "names = {e['task'] for e in settings.CELERY_BEAT_SCHEDULE.values()}\n"
        "print(sorted(names - set(app.tasks)))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "noaber.test_settings"}
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, cwd=root
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
