#!/usr/bin/env python
"""Django's command-line utility for Noaber."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "noaber.settings")
    # In development (DEBUG=1) without DATABASE_URL: start the embedded PostgreSQL first. The
    # settings themselves never start anything.
    from noaber.embedded_db import ensure_database_url

    ensure_database_url()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
