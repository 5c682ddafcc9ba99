from django.db import migrations


class Migration(migrations.Migration):
    """The old list of cooperatives is now networks.Membership (copied in its 0001)."""

    dependencies = [
        ("tenants", "0005_network_tiers_and_cooperative_location"),
        ("networks", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="network", name="cooperatives"),
    ]
