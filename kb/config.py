"""Settings with safe defaults, read from the environment (KB_* variables)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILES_ATTRIBUTION = "© les contributeurs d'OpenStreetMap"
# The 2012 paper bulletin mentioned the DIF, replaced by the CPF in 2015: the default names neither scheme
# an employer could no longer use for this training.
DEFAULT_FUNDING_NOTE = ("Cette formation peut être financée au titre du plan de développement des compétences "
                        "de votre structure, avec l'appui de votre opérateur de compétences (OPCO).")


SETTINGS_FILE = "settings.env"


def read_settings_file(instance_dir: Path) -> dict[str, str]:
    """The instance's own settings (``KB_NAME=value`` lines of ``settings.env``); the environment overrides them."""
    path = instance_dir / SETTINGS_FILE
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name.startswith("KB_") and not name.startswith("#"):
            values[name.strip()] = value.strip()
    return values


def write_setting(instance_dir: Path, name: str, value: str) -> Path:
    """Set one line of the instance's ``settings.env`` (created if missing), keeping the others."""
    path = instance_dir / SETTINGS_FILE
    instance_dir.mkdir(parents=True, exist_ok=True)
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else [
        "# Réglages de cette instance (KB_NOM=valeur) ; les variables d'environnement l'emportent."]
    lines = [line for line in lines if line.strip().partition("=")[0].strip() != name] + [f"{name}={value}"]
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def _secret_key(instance_dir: Path, env: dict[str, str]) -> str:
    """Return KB_SECRET_KEY, else a key generated once and kept in the instance dir."""
    from_env = env.get("KB_SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Created with 0600 so the key is not readable by other local users.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def load_settings(overrides: dict | None = None) -> dict:
    """Build the app config from the environment, then apply test or caller overrides."""
    overrides = dict(overrides or {})
    instance_dir = Path(
        overrides.pop("INSTANCE_DIR", None) or os.environ.get("KB_INSTANCE_DIR", "instance")
    ).resolve()
    env = {**read_settings_file(instance_dir), **os.environ}
    settings = {
        "INSTANCE_DIR": str(instance_dir),
        "DATABASE_URL": env.get(
            "KB_DATABASE_URL", f"sqlite:///{instance_dir / 'observatoire.sqlite3'}"
        ),
        "INDEX_DIR": env.get("KB_INDEX_DIR", str(instance_dir / "index")),
        "SEARCH_CACHE_MB": int(env.get("KB_SEARCH_CACHE_MB", "64")),
        "INDEX_PARALLEL_FROM": int(env.get("KB_INDEX_PARALLEL_FROM", "20000")),
        "TILES_URL": env.get("KB_TILES_URL", DEFAULT_TILES_URL),
        "TILES_ATTRIBUTION": env.get("KB_TILES_ATTRIBUTION", DEFAULT_TILES_ATTRIBUTION),
        "BIND": env.get("KB_BIND", "127.0.0.1:5000"),
        "WORKERS": int(env.get("KB_WORKERS", "2")),
        "PAGE_SIZE": 20,
        # Above this many points, /carte sends the clusters of the current view (computed on the server) instead of
        # every point, and asks /carte/points for the next views.
        "MAP_SERVER_CLUSTER_FROM": int(env.get("KB_MAP_SERVER_CLUSTER_FROM", "3000")),
        # ... and a view holding at most this many points sends them one by one (the browser clusters them).
        "MAP_VIEW_SINGLES": int(env.get("KB_MAP_VIEW_SINGLES", "600")),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("KB_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env.get("KB_SECURE_COOKIES", "0") == "1",
        "PERMANENT_SESSION_LIFETIME": 14 * 24 * 3600,
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "PROXY_HOPS": int(env.get("KB_PROXY_HOPS", "0")),
        # Operations: `/metrics` answers the machine itself, or whoever sends this token; JSON logs under `serve`.
        "METRICS_TOKEN": env.get("KB_METRICS_TOKEN", ""),
        "METRICS_DIR": env.get("KB_METRICS_DIR", str(instance_dir / "metrics")),
        "LOG_LEVEL": env.get("KB_LOG_LEVEL", "INFO").upper(),
        # Demo accounts (public passwords) sign in only when asked: `observatoire demo` writes KB_DEMO_MODE=1.
        "DEMO_MODE": env.get("KB_DEMO_MODE", "0") == "1",
        "MORNING_HOURS": env.get("KB_MORNING_HOURS", "09:00-12:30"),
        "AFTERNOON_HOURS": env.get("KB_AFTERNOON_HOURS", "13:30-17:00"),
        "RESET_TOKEN_MAX_AGE": int(env.get("KB_RESET_TOKEN_MAX_AGE", "3600")),
        "SIGNUP_TOKEN_MAX_AGE": int(env.get("KB_SIGNUP_TOKEN_MAX_AGE", str(48 * 3600))),
        "MAIL_BACKEND": env.get("KB_MAIL_BACKEND", "smtp" if env.get("KB_SMTP_HOST") else "file"),
        "MAIL_DIR": env.get("KB_MAIL_DIR", str(instance_dir / "mail")),
        "MAIL_FROM": env.get("KB_MAIL_FROM", "Observatoire ISIC <observatoire@localhost>"),
        "SMTP_HOST": env.get("KB_SMTP_HOST", "localhost"),
        "SMTP_PORT": int(env.get("KB_SMTP_PORT", "587")),
        "SMTP_USER": env.get("KB_SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("KB_SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env.get("KB_SMTP_STARTTLS", "1") == "1",
        "FILES_DIR": env.get("KB_FILES_DIR", str(instance_dir / "files")),
        "UPLOAD_MAX_MB": int(env.get("KB_UPLOAD_MAX_MB", "20")),
        # The seminar's registrations: who is told, what the documents say.
        "TEAM_EMAIL": env.get("KB_TEAM_EMAIL", "observatoire@localhost"),
        "REGISTRATION_LINK_DAYS": int(env.get("KB_REGISTRATION_LINK_DAYS", "730")),
        "FUNDING_NOTE": env.get("KB_FUNDING_NOTE", DEFAULT_FUNDING_NOTE),
        # The address published cahiers cite (https://observatoire.example.fr); empty: the publishing request's own.
        "PUBLIC_URL": env.get("KB_PUBLIC_URL", "").strip(),
        "INSTITUTE_NAME": env.get("KB_INSTITUTE_NAME", "Observatoire des pratiques de l'ISIC"),
        "INSTITUTE_ADDRESS": env.get("KB_INSTITUTE_ADDRESS", "Marseille · Avignon · Arles"),
        "INSTITUTE_SIRET": env.get("KB_INSTITUTE_SIRET", ""),
        "INSTITUTE_ACTIVITY_NUMBER": env.get("KB_INSTITUTE_ACTIVITY_NUMBER", ""),
        "VAT_MENTION": env.get("KB_VAT_MENTION", "TVA non applicable, article 261-4-4° a du CGI "
                                                        "(formation professionnelle continue)."),
    }
    settings.update(overrides)
    if "SECRET_KEY" not in settings:
        settings["SECRET_KEY"] = _secret_key(instance_dir, env)
    return settings
