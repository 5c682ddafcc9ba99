"""One Dutch word for each subscription state (labels only: no column or value changes)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0005_outbox_result_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='networksubscription',
            name='status',
            field=models.CharField(blank=True, choices=[('', 'gratis'), ('trialing', 'proefperiode'), ('active', 'actief'), ('past_due', 'achterstallig'), ('unpaid', 'onbetaald'), ('canceled', 'opgezegd'), ('incomplete', 'onafgerond'), ('incomplete_expired', 'verlopen'), ('paused', 'gepauzeerd')], default='', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='subscription',
            name='status',
            field=models.CharField(blank=True, choices=[('', 'gratis'), ('trialing', 'proefperiode'), ('active', 'actief'), ('past_due', 'achterstallig'), ('unpaid', 'onbetaald'), ('canceled', 'opgezegd'), ('incomplete', 'onafgerond'), ('incomplete_expired', 'verlopen'), ('paused', 'gepauzeerd')], default='', max_length=20, verbose_name='status'),
        ),
    ]
