"""Clusters say whether they hold care data (cooperatives.carelog logs who reads them). The
care clusters of the rules templates ("Zorg en aandacht voor elkaar", "Thuisbezoek en praatje")
and any cluster with "zorg" in its name start as care clusters; the board can change it."""

from django.db import migrations, models
from django.db.models import Q


def mark_care_clusters(apps, schema_editor):
    Cluster = apps.get_model("cooperatives", "Cluster")
    Cluster.objects.filter(Q(name__icontains="zorg") | Q(name__icontains="thuisbezoek")).update(
        holds_care=True
    )


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0003_rulebook_decision")]

    operations = [
        migrations.AddField(
            model_name="cluster",
            name="holds_care",
            field=models.BooleanField(default=False, verbose_name="zorgcluster"),
        ),
        migrations.RunPython(mark_care_clusters, migrations.RunPython.noop),
    ]
