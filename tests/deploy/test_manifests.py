"""deploy/ is checked by the test command: the Kubernetes manifests against the Kubernetes
schemas (kubernetes-validate ships them, strict: an unknown or misspelt field fails), the
compose file against the compose-spec schema (vendored in deploy/schemas/), and the rules that
bind them together: migrations before new pods, shutdown within the grace periods, probes on
the right endpoints, one pool mode in PgBouncer and in the app."""

from __future__ import annotations

import configparser
import json
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S_FILES = sorted((DEPLOY / "k8s").glob("*.yaml"))
# The oldest Kubernetes the manifests promise to work on (deploy/README.md), and the newest
# whose schemas the library ships.
K8S_VERSIONS = ("1.30.0", kubernetes_validate.latest_version())


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def k8s(kind: str, name: str) -> dict:
    for path in K8S_FILES:
        for doc in documents(path):
            if doc["kind"] == kind and doc["metadata"]["name"] == name:
                return doc
    raise AssertionError(f"no {kind} {name} in deploy/k8s")


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("path", K8S_FILES, ids=lambda p: p.name)
def test_kubernetes_manifests_match_the_schemas(path, version):
    docs = documents(path)
    assert docs, f"{path.name} holds no resource"
    for doc in docs:
        kubernetes_validate.validate(doc, version, strict=True)


def test_kubernetes_validation_catches_a_misspelt_field():
    """The check is strict: a field Kubernetes does not know fails it."""
    job = k8s("Job", "noaber-migrate")
    job["spec"]["template"]["spec"]["containers"][0]["arg"] = ["migrate"]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(job, K8S_VERSIONS[0], strict=True)


def test_compose_file_matches_the_compose_spec():
    schema = json.loads((DEPLOY / "schemas" / "compose-spec.json").read_text())
    jsonschema.validate(compose(), schema, cls=jsonschema.Draft7Validator)
    broken = compose()
    broken["services"]["web"]["depends_on"]["migrate"]["condition"] = "service_done"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft7Validator)


def _pod(name: str, kind: str = "Deployment") -> dict:
    return k8s(kind, name)["spec"]["template"]["spec"]


@pytest.mark.parametrize("name", ["noaber-web", "noaber-worker", "noaber-beat"])
def test_new_pods_wait_for_the_migrate_job_of_their_image(name):
    pod = _pod(name)
    (wait,) = pod["initContainers"]
    (main,) = pod["containers"]
    assert wait["args"] == ["wait-for-migrations"]
    assert wait["image"] == main["image"]
    assert wait["envFrom"] == main["envFrom"]
    job = _pod("noaber-migrate", "Job")
    assert job["containers"][0]["args"] == ["migrate"]
    assert job["containers"][0]["image"] == main["image"]
    assert job["restartPolicy"] == "Never"


def test_compose_starts_web_worker_and_beat_after_a_successful_migrate():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        needs = services[name]["depends_on"]
        assert needs["migrate"] == {"condition": "service_completed_successfully"}
        assert "pgbouncer" in needs


def _entrypoint_roles() -> str:
    return (DEPLOY / "entrypoint.sh").read_text()


def test_every_role_the_manifests_start_exists_in_the_entrypoint():
    roles = _entrypoint_roles()
    used = {"web", "worker", "beat", "migrate", "wait-for-migrations", "healthcheck"}
    for role in used:
        assert f"\n    {role})\n" in roles, role


def _config() -> dict:
    return k8s("ConfigMap", "noaber-config")["data"]


def test_web_shuts_down_within_its_grace_period():
    """preStop sleep, then gunicorn's graceful_timeout for requests in progress: both fit."""
    pod = _pod("noaber-web")
    (web,) = pod["containers"]
    pre_stop = int(web["lifecycle"]["preStop"]["exec"]["command"][1])
    graceful = int(_config()["GUNICORN_GRACEFUL_TIMEOUT"])
    assert pre_stop + graceful < pod["terminationGracePeriodSeconds"]
    gunicorn = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), gunicorn)  # noqa: S102
    assert gunicorn["graceful_timeout"] == 30 == graceful
    stop = compose()["services"]["web"]["stop_grace_period"]
    assert int(stop.rstrip("s")) > gunicorn["graceful_timeout"]


def test_worker_finishes_or_hands_back_its_tasks_within_its_grace_period():
    from django.conf import settings

    pod = _pod("noaber-worker")
    soft = int(_config()["CELERY_SOFT_SHUTDOWN_SECONDS"])
    assert soft < pod["terminationGracePeriodSeconds"]
    assert settings.CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT == 90.0 == soft
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    # SIGTERM must start the time-limited (soft) shutdown, not an unlimited warm one.
    assert 'export REMAP_SIGTERM="${REMAP_SIGTERM:-SIGQUIT}"' in _entrypoint_roles()


def test_web_probes_use_health_and_readiness_without_a_host_header():
    (web,) = _pod("noaber-web")["containers"]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    for probe in ("livenessProbe", "startupProbe", "readinessProbe"):
        assert "httpHeaders" not in web[probe]["httpGet"]


def test_pgbouncer_and_the_app_agree_on_transaction_pooling():
    ini = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";",))
    ini.read(DEPLOY / "pgbouncer" / "pgbouncer.ini")
    assert ini["pgbouncer"]["pool_mode"] == "transaction"
    assert _config()["DATABASE_POOL_MODE"] == "transaction"
    secret = k8s("Secret", "noaber-secrets")["stringData"]
    assert "@pgbouncer:6432/" in secret["DATABASE_URL"]
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_POOL_MODE"] == "transaction"
        assert "@pgbouncer:6432/" in env["DATABASE_URL"]
    # The migrate run goes straight to PostgreSQL, in session mode.
    assert services["migrate"]["environment"]["DATABASE_POOL_MODE"] == "session"
    job = _pod("noaber-migrate", "Job")["containers"][0]
    assert {e["name"]: e for e in job["env"]}["DATABASE_POOL_MODE"]["value"] == "session"
