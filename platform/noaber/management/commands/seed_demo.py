from django.core.management.base import BaseCommand

from noaber.demo import demo_seed


class Command(BaseCommand):
    help = "Create the demo cooperatives `oost` and `wij` with a few members (idempotent)."

    def handle(self, *args, **options):
        for line in demo_seed():
            self.stdout.write(f"  {line}")
