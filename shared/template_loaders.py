"""Templates of feature packages.

A feature package keeps its templates beside its code (``cooperatives/members/templates/``),
as Django apps do. Most feature packages are not Django apps of their own (their models belong
to the app above them, e.g. ``cooperatives``), so Django's app-directories loader does not look
there; this loader also looks one level down: ``<app>/<feature>/templates/``. A new feature
package is found without touching the settings.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.apps import apps
from django.template.loaders.filesystem import Loader as FilesystemLoader


@cache
def feature_template_dirs() -> tuple[str | Path, ...]:
    dirs: list[str | Path] = []
    for app in apps.get_app_configs():
        for child in sorted(Path(app.path).iterdir()):
            templates = child / "templates"
            if (child / "__init__.py").exists() and templates.is_dir():
                dirs.append(templates)
    return tuple(dirs)


class FeatureDirectoriesLoader(FilesystemLoader):
    def get_dirs(self) -> list[str | Path]:
        return list(feature_template_dirs())
