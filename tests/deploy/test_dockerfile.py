"""The image's build steps, exercised as far as this machine allows: the Docker daemon is not
available here (and the base images could not be pulled without network), so `docker build`
itself does not run. What can run without it does: every file the Dockerfiles copy exists and
is not kept out by the .dockerignore, and the RUN steps that are the project's own (the
requirements list, the runtime import check, collectstatic) run as written, in this checkout's
environment."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "Dockerfile"
PGBOUNCER_DOCKERFILE = REPO / "deploy" / "pgbouncer" / "Dockerfile"


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    steps = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            steps.append((word.upper(), rest.strip()))
    return steps


def copies(path: Path) -> list[list[str]]:
    """The sources of each COPY that takes files from the build context."""
    found = []
    for word, rest in instructions(path):
        if word != "COPY":
            continue
        parts = [p for p in shlex.split(rest) if not p.startswith("--chmod")]
        if any(p.startswith("--from") for p in parts):
            continue
        found.append(parts[:-1])
    return found


def runs(path: Path) -> list[str]:
    return [rest for word, rest in instructions(path) if word == "RUN"]


def _ignored(relative: str) -> bool:
    """Whether deploy/Dockerfile.dockerignore keeps the file out (last matching rule wins)."""
    from fnmatch import fnmatch

    verdict = False
    for rule in (REPO / "deploy" / "Dockerfile.dockerignore").read_text().splitlines():
        rule = rule.strip()
        if not rule or rule.startswith("#"):
            continue
        keep = rule.startswith("!")
        pattern = rule.lstrip("!").replace("**/", "")
        if fnmatch(relative, pattern) or fnmatch(relative, pattern + "/*"):
            verdict = not keep
    return verdict


def test_every_file_the_app_image_copies_is_in_the_build_context():
    sources = [source for copy in copies(DOCKERFILE) for source in copy]
    assert sources == ["pyproject.toml", ".", "manage.py", "deploy/entrypoint.sh",
                       "deploy/gunicorn.conf.py"]  # fmt: skip
    for source in sources:
        assert (REPO / source).exists(), source
        if source != ".":
            assert not _ignored(source), f"{source} is kept out by the .dockerignore"
    # What the image must not carry.
    for kept_out in ("tests/conftest.py", ".venv/bin/python", "deploy/env.example", "bench"):
        assert _ignored(kept_out), kept_out


def test_every_file_the_pgbouncer_image_copies_exists():
    sources = [source for copy in copies(PGBOUNCER_DOCKERFILE) for source in copy]
    assert sources == ["pgbouncer.ini", "entrypoint.sh"]
    for source in sources:
        assert (PGBOUNCER_DOCKERFILE.parent / source).is_file()


def _run_step(command: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """A RUN step as written, in this checkout, with this environment's python first."""
    environment = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        **env,
    }
    return subprocess.run(
        ["sh", "-c", command],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_requirements_step_lists_exactly_the_projects_dependencies(tmp_path):
    (step,) = [r for r in runs(DOCKERFILE) if "tomllib" in r]
    listing = step.split(">", 1)[0]  # the part that writes the list; pip comes after it
    result = _run_step(listing, tmp_path)
    assert result.returncode == 0, result.stderr
    with (REPO / "pyproject.toml").open("rb") as project:
        wanted = tomllib.load(project)["project"]["dependencies"]
    assert result.stdout.splitlines() == wanted


def test_the_runtime_import_check_passes(tmp_path):
    (step,) = [r for r in runs(DOCKERFILE) if "Runtime dependency missing" in r]
    result = _run_step(step, tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.timeout(120)
def test_collectstatic_runs_as_in_the_image(tmp_path):
    """With the step's own build-only values; the image's ENV sets STATIC_ROOT."""
    (step,) = [r for r in runs(DOCKERFILE) if "collectstatic" in r]
    static_root = tmp_path / "staticfiles"
    result = _run_step(step, tmp_path, STATIC_ROOT=str(static_root))
    assert result.returncode == 0, result.stderr
    manifest = static_root / "staticfiles.json"
    assert manifest.is_file()
    assert '"noaber/site.css"' in manifest.read_text()
    assert (static_root / "noaber" / "site.css.gz").is_file()  # compressed for WhiteNoise


def test_the_image_runs_the_projects_own_commands():
    steps = instructions(DOCKERFILE)
    entry = [rest for word, rest in steps if word == "ENTRYPOINT"][-1]
    command = [rest for word, rest in steps if word == "CMD"][-1]
    assert entry == '["/app/entrypoint.sh"]'
    assert command == '["gunicorn", "--config", "/app/gunicorn.conf.py", "noaber.wsgi:application"]'
    assert ("USER", "10001:10001") in steps
