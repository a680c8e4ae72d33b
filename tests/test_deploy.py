"""The deployment artifacts (issue 21), checked as far as a machine without a container daemon allows: the compose
file's YAML parsed, every variable it sets read by the settings, every command one that exists, every queue with a
worker, one beat, health checks on real URLs, and a multi-stage non-root image that collects static files."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from django.urls import resolve

from tests.support.processes import ROOT

COMPOSE = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
SERVICES = COMPOSE["services"]
# Services running the portal's image; the others are PostgreSQL's and Redis's own images.
PORTAL_SERVICES = {name: service for name, service in SERVICES.items() if "build" in service}
# Read by a program the compose file starts rather than by our code.
READ_BY_TOOLS = {"WEB_CONCURRENCY": "gunicorn's default number of workers"}


def variables_our_code_reads() -> set[str]:
    pattern = re.compile(
        r"""(?:env_(?:str|bool|list)|os\.environ\.get|os\.environ\.setdefault|os\.environ\[)\(?\s*["']([A-Z0-9_]+)["']"""
    )
    sources = [*(ROOT / "portal").rglob("*.py"), ROOT / "manage.py", ROOT / "deploy/probe.py"]
    return {name for path in sources for name in pattern.findall(path.read_text())}


def command_of(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def probe_paths(test: list[str] | str) -> list[str]:
    args = shlex.split(test) if isinstance(test, str) else test
    return [arg for arg in args if re.fullmatch(r"/[a-z/]*", arg)]


def test_the_portal_services_are_web_workers_beat_and_migrate_beside_postgres_and_redis():
    assert set(SERVICES) - set(PORTAL_SERVICES) == {"postgres", "redis"}
    assert {"web", "beat", "migrate"} <= set(PORTAL_SERVICES)


def test_every_variable_the_compose_file_sets_is_read_by_the_settings():
    read = variables_our_code_reads() | set(READ_BY_TOOLS)
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "METRICS_TOKEN", "LOG_FORMAT"} <= read  # the scan finds them
    for name, service in PORTAL_SERVICES.items():
        unread = set(service["environment"]) - read
        assert not unread, f"{name} sets {sorted(unread)}, which nothing reads"


def test_every_variable_the_compose_file_interpolates_is_in_the_example_environment():
    example = {line.split("=")[0] for line in (ROOT / "deploy/env.example").read_text().splitlines() if "=" in line}
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "deploy/compose.yaml").read_text()))
    assert used == example


def test_every_command_exists():
    for name, service in PORTAL_SERVICES.items():
        program, *args = command_of(service)
        if program == "gunicorn":
            assert importlib.util.find_spec(args[-1]) is not None, name
            assert (ROOT / args[args.index("--config") + 1]).is_file(), name
        elif program == "python":
            assert args[0] == "manage.py" and args[1] in get_commands(), name
        else:
            assert program == "celery" and args[:2] == ["-A", "portal"] and args[2] in {"worker", "beat"}, name


def test_each_routed_queue_has_its_own_worker_and_there_is_one_beat():
    consumed: list[str] = []
    for name, service in PORTAL_SERVICES.items():
        args = command_of(service)
        if args[:4] == ["celery", "-A", "portal", "worker"]:
            queues = args[args.index("-Q") + 1].split(",")
            assert args[args.index("--hostname") + 1] == f"{queues[0]}@%h", name
            consumed += queues
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} | {settings.CELERY_TASK_DEFAULT_QUEUE}
    assert sorted(consumed) == sorted(set(consumed)), "one worker service per queue"
    assert set(consumed) == routed == set(settings.PORTAL_QUEUES)
    beats = [name for name, service in PORTAL_SERVICES.items() if "beat" in command_of(service)[3:4]]
    assert beats == ["beat"]
    assert settings.CELERY_BEAT_SCHEDULER == "portal.core.beat:SingleBeatScheduler"


def test_health_checks_point_at_real_urls():
    web_probe = probe_paths(SERVICES["web"]["healthcheck"]["test"])
    assert web_probe == ["/readyz"]
    assert resolve(web_probe[0]).url_name == "readyz"
    assert resolve("/healthz").url_name == "healthz"
    for name, service in PORTAL_SERVICES.items():
        test = service.get("healthcheck", {}).get("test", [])
        if "inspect ping" in " ".join(test):
            node = re.search(r"--destination (\w+)@", " ".join(test)).group(1)
            assert f"{node}@%h" in command_of(service), f"{name} pings a worker it does not run"


def dockerfile_lines() -> list[str]:
    return (ROOT / "Dockerfile").read_text().splitlines()


def test_the_image_is_multi_stage_non_root_and_collects_static_files_at_build():
    lines = dockerfile_lines()
    stages = [i for i, line in enumerate(lines) if line.startswith("FROM ")]
    assert len(stages) >= 2
    final = lines[stages[-1] :]
    [user] = [line.split()[1] for line in final if line.startswith("USER ")]
    assert user not in {"root", "0"}
    assert any("collectstatic" in line for line in lines[: stages[-1]])
    assert not any(line.startswith("ENV") and "SECRET_KEY" in line for line in lines), "no secret baked in"


@pytest.mark.parametrize("path", ["deploy/README.md", "deploy/probe.py", "deploy/gunicorn.conf.py", ".dockerignore"])
def test_the_files_the_deployment_needs_exist(path):
    assert (ROOT / path).is_file()


def test_the_readme_first_screen_points_to_the_deployment_guide():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:40])
    assert "deploy/README.md" in first_screen
    assert Path(ROOT / "deploy/README.md").read_text().count("compose.yaml") >= 1
