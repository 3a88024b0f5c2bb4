"""The project as a whole: settings per environment, deploy checks, migrations, lint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "-production-like-secret-0123456789abcdefXYZ",
    "ALLOWED_HOSTS": "omakouvola.kouvola.fi",
    "DATABASE_URL": "postgres://omakouvola@127.0.0.1:5432/omakouvola",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.kouvola.fi:587",
    "VOTE_SECRET": "v" * 12 + "-vote-secret-that-differs-0123456789",
}


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base_env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    base_env.pop("DJANGO_SETTINGS_MODULE", None)
    base_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        args,
        cwd=ROOT,
        env={**base_env, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("module", ["local", "test", "production"])
def test_each_settings_module_loads(module):
    env = {"DJANGO_SETTINGS_MODULE": f"omakouvola.settings.{module}"}
    if module == "production":
        env.update(PRODUCTION_ENV)
    result = _run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from django.conf import settings; print(settings.LANGUAGE_CODE)",
        ],
        env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "fi"


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "omakouvola.settings.production"}
    env["SECRET_KEY"] = ""
    result = _run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "omakouvola.settings.production"}
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_migrations_match_the_models():
    result = _run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        {"DJANGO_SETTINGS_MODULE": "omakouvola.settings.test"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    result = _run([str(Path(sys.executable).parent / "ruff"), "check", "--quiet", "."])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_translation_catalogues_are_complete():
    for language in ("fi", "sv", "en"):
        po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        result = _run(["msgattrib", "--untranslated", "--no-obsolete", str(po)])
        assert result.returncode == 0, result.stderr
        untranslated = result.stdout.count("\nmsgid ") + result.stdout.startswith("msgid ")
        assert untranslated <= 1, f"{language}: {result.stdout[:1500]}"
        fuzzy = _run(["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)])
        assert fuzzy.stdout.strip() == "", f"{language} has fuzzy entries"


def test_the_compose_file_describes_the_production_stack():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert set(compose["services"]) == {"db", "redis", "web", "worker", "beat"}
    assert compose["services"]["db"]["image"] == "postgres:16"
    assert compose["services"]["redis"]["image"] == "redis:7"
    assert "gunicorn" in compose["services"]["web"]["command"]
    assert "worker" in compose["services"]["worker"]["command"]
    assert "beat" in compose["services"]["beat"]["command"]
    assert (ROOT / "Dockerfile").exists()
