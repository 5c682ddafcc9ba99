"""The default plans. Prices follow the cooperatives' size: a small neighbourhood cooperative
lives on contributions of a few euros per member per year, so a plan costs roughly EUR 1 per
member per year at its upper limit (klein: 150 members for EUR 180 a year). The pilot is free
up to 50 members, so a starting group can try everything before a board and a bank account
exist. Paid plans start with 30 days' trial: long enough for one board meeting to decide.
Existing plans (a changed price, say) are left as they are."""

from django.db import migrations

# The codes name the size (they go into idempotency keys and the API), so a later plan
# called "klein" at another size never clashes with these.
PLANS = [
    # code, name, max_members, monthly_price_cents, trial_days
    ("pilot", "Pilot (gratis, tot 50 leden)", 50, 0, 0),
    ("tot150", "Klein (tot 150 leden)", 150, 1500, 30),
    ("tot500", "Middel (tot 500 leden)", 500, 3500, 30),
    ("onbeperkt", "Groot (onbeperkt)", None, 6000, 30),
]


def create_plans(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for code, name, max_members, cents, trial in PLANS:
        Plan.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "max_members": max_members,
                "monthly_price_cents": cents,
                "currency": "eur",
                "trial_days": trial,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_network_sponsorship"),
    ]

    operations = [
        migrations.RunPython(create_plans, migrations.RunPython.noop),
    ]
