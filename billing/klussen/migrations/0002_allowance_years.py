"""The volunteer allowance limits for 2024-2026 (vrijwilligersvergoeding), so a new cooperative
starts with figures. The board checks them against what the Belastingdienst publishes each
year and changes them on the allowance page."""

from decimal import Decimal

from django.db import migrations

LIMITS = {
    2024: (Decimal("5.50"), Decimal("2100.00")),
    2025: (Decimal("5.60"), Decimal("2100.00")),
    # Not yet known when this was written: the 2025 figures. The board must check the
    # Belastingdienst's published amounts for 2026 and correct them if they changed.
    2026: (Decimal("5.60"), Decimal("2100.00")),
}


def seed(apps, schema_editor):
    AllowanceYear = apps.get_model("klussen", "AllowanceYear")
    for year, (per_hour, per_year) in LIMITS.items():
        # A year the board already set is left as it is.
        AllowanceYear.objects.get_or_create(
            year=year, defaults={"per_hour": per_hour, "per_year": per_year}
        )


class Migration(migrations.Migration):
    dependencies = [("klussen", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
