"""The production shape in docker-compose.yml, .env.example and infra/Dockerfile, checked statically.

No Docker engine runs here, so these tests read the files: the services exist and wait for each
other's health, workers can be scaled, and the environment wires exactly the fields of Settings.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from core.settings import Settings

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
DOCKERFILE = REPO / "infra" / "Dockerfile"

SERVICES = {"postgres", "qdrant", "minio", "minio-create-bucket", "redis", "api", "worker"}
LONG_RUNNING_WITH_OWN_HEALTHCHECK = {"postgres", "qdrant", "minio", "redis"}
PREFIX = "FACESORT_"
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}; $$ is a literal $.
REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f"{path.name}: not KEY=VALUE: {line!r}"
            values[key.strip()] = value.strip()
    return values


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable substitution, enough for the forms used in docker-compose.yml."""

    def substitute(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        value = env.get(name)
        if op in (":-", ":?") and not value:
            value = None
        if value is not None:
            return value
        if op in (":-", "-"):
            return arg
        raise KeyError(f"{name} is required: {arg}")

    return REFERENCE.sub(substitute, text.replace("$$", "\0")).replace("\0", "$")


def walk_strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for key, value in node.items() for text in walk_strings(key) + walk_strings(value)]
    if isinstance(node, list):
        return [text for item in node for text in walk_strings(item)]
    return []


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):  # the KEY=VALUE list form
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose["services"]
    return services


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    return read_env_file(ENV_EXAMPLE)


def test_the_services_of_the_production_shape(services: dict[str, dict[str, Any]]) -> None:
    assert set(services) == SERVICES


def test_every_service_has_a_healthcheck(services: dict[str, dict[str, Any]]) -> None:
    for name in LONG_RUNNING_WITH_OWN_HEALTHCHECK:
        check = services[name].get("healthcheck", {})
        assert check.get("test"), f"{name} has no healthcheck"
        assert not check.get("disable"), f"{name} has its healthcheck disabled"
    # The api inherits the image's HEALTHCHECK, which probes /healthz with Python (slim has no curl).
    assert "healthcheck" not in services["api"]
    dockerfile = DOCKERFILE.read_text()
    assert re.search(r"^HEALTHCHECK .*python.*127\.0\.0\.1:8000/healthz", dockerfile, re.M | re.S)


def test_data_lives_in_named_volumes(compose: dict[str, Any], services: dict[str, dict[str, Any]]) -> None:
    mounts = {"postgres": "/var/lib/postgresql/data", "qdrant": "/qdrant/storage", "minio": "/data"}
    for name, target in mounts.items():
        volume = next(v for v in services[name]["volumes"] if v.endswith(f":{target}"))
        assert volume.split(":")[0] in compose["volumes"], f"{name} keeps its data in a declared volume"


def test_bucket_is_created_once_before_the_api_starts(services: dict[str, dict[str, Any]]) -> None:
    one_shot = services["minio-create-bucket"]
    assert one_shot["restart"] == "no"
    assert one_shot["depends_on"]["minio"]["condition"] == "service_healthy"
    bucket = urlsplit(environment_of(services["api"])["FACESORT_BLOB_URL"]).netloc
    script = " ".join(walk_strings(one_shot["entrypoint"]))
    assert f"mc mb --ignore-existing facesort/{bucket}" in script


def test_api_waits_for_healthy_services_and_migrates(services: dict[str, dict[str, Any]]) -> None:
    api = services["api"]
    wanted = dict.fromkeys(LONG_RUNNING_WITH_OWN_HEALTHCHECK, "service_healthy")
    wanted["minio-create-bucket"] = "service_completed_successfully"
    assert {name: dep["condition"] for name, dep in api["depends_on"].items()} == wanted
    command = " ".join(api["command"])
    assert command.index("facesort db upgrade") < command.index("facesort serve --host 0.0.0.0 --port 8000")
    assert api["build"] == {"context": ".", "dockerfile": "infra/Dockerfile"}
    assert [str(port).rsplit(":", 1)[-1] for port in api["ports"]] == ["8000"]


def test_worker_can_be_scaled(services: dict[str, dict[str, Any]]) -> None:
    worker, api = services["worker"], services["api"]
    # A published port or a fixed container name would make a second replica collide.
    assert "ports" not in worker
    assert "container_name" not in worker
    assert "container_name" not in api
    assert worker["command"] == [
        "facesort",
        "worker",
        "--processes",
        "${WORKER_PROCESSES:-1}",
        "--threads",
        "${FACESORT_WORKER_THREADS:-1}",
    ]
    assert worker["image"] == api["image"]
    assert "build" not in worker, "one image, built once by the api service"
    assert worker["depends_on"] == {"api": {"condition": "service_healthy"}}, "workers start on the migrated schema"
    assert worker["healthcheck"] == {"disable": True}, "the image's HTTP probe does not apply to a worker"
    assert environment_of(worker) == environment_of(api)


def test_the_services_are_wired_through_facesort_settings(
    services: dict[str, dict[str, Any]], env_example: dict[str, str]
) -> None:
    assert environment_of(services["api"])["FACESORT_SECRET_KEY"].startswith("${FACESORT_SECRET_KEY:?")
    resolved = yaml.safe_load(interpolate(COMPOSE_FILE.read_text(), env_example))["services"]
    env = environment_of(resolved["api"])
    assert env["FACESORT_ENVIRONMENT"] == "production"
    assert env["FACESORT_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert urlsplit(env["FACESORT_DATABASE_URL"]).hostname == "postgres"
    assert urlsplit(env["FACESORT_QDRANT_URL"]).hostname == "qdrant"
    assert urlsplit(env["FACESORT_REDIS_URL"]).hostname == "redis"
    assert env["FACESORT_BLOB_URL"] == "s3://facesort"
    assert env["FACESORT_S3_ENDPOINT"] == "minio:9000"
    assert env["FACESORT_S3_SECURE"] == "false"
    # facesort's S3 keys are the ones MinIO is started with.
    minio = environment_of(resolved["minio"])
    assert env["FACESORT_S3_ACCESS_KEY"] == minio["MINIO_ROOT_USER"]
    assert env["FACESORT_S3_SECRET_KEY"] == minio["MINIO_ROOT_PASSWORD"]


def test_every_facesort_variable_is_a_setting(env_example: dict[str, str]) -> None:
    fields = {f"{PREFIX}{name.upper()}" for name in Settings.model_fields}
    compose_text = COMPOSE_FILE.read_text()
    used = set(re.findall(rf"\b{PREFIX}[A-Z0-9_]+", compose_text))
    used |= {key for key in env_example if key.startswith(PREFIX)}
    used |= set(re.findall(rf"\b{PREFIX}[A-Z0-9_]+(?==)", DOCKERFILE.read_text()))
    assert used, "nothing wired"
    assert used <= fields, f"not fields of core.settings.Settings: {sorted(used - fields)}"


def test_env_example_defines_every_required_variable(env_example: dict[str, str]) -> None:
    references = REFERENCE.finditer(COMPOSE_FILE.read_text().replace("$$", ""))
    required = {m["name"] for m in references if m["op"] not in (":-", "-")}
    assert required <= set(env_example), f"missing from .env.example: {sorted(required - set(env_example))}"
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD"):
        interpolate(COMPOSE_FILE.read_text(), {})  # compose refuses to start without .env


def settings_from_compose(env_file: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The Settings the api container would build from this .env."""
    compose = yaml.safe_load(interpolate(COMPOSE_FILE.read_text(), env_file))
    for key in list(os.environ):
        if key.startswith(PREFIX):
            monkeypatch.delenv(key)
    for key, value in environment_of(compose["services"]["api"]).items():
        monkeypatch.setenv(key, value)
    return Settings()


def test_placeholder_secret_is_refused(env_example: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="FACESORT_SECRET_KEY"):
        settings_from_compose(env_example, monkeypatch)


def test_make_env_gives_settings_that_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_path = tmp_path / ".env"
    make_env = [str(REPO / "infra" / "make-env.sh"), str(env_path)]
    subprocess.run(make_env, check=True, capture_output=True)
    env_file = read_env_file(env_path)
    subprocess.run(make_env, check=True, capture_output=True)
    assert read_env_file(env_path) == env_file, "a rerun keeps the values already set"
    assert "change-me" not in env_file.values()
    assert env_path.stat().st_mode & 0o077 == 0, ".env holds secrets: owner-only"

    settings = settings_from_compose(env_file, monkeypatch)
    assert settings.environment == "production"
    assert settings.secret_key == env_file["FACESORT_SECRET_KEY"]
    assert settings.s3_secure is False
    assert not settings.embedded
    database = urlsplit(settings.database_url)
    assert (database.username, database.password, database.path) == (
        env_file["POSTGRES_USER"],
        env_file["POSTGRES_PASSWORD"],
        f"/{env_file['POSTGRES_DB']}",
    )
