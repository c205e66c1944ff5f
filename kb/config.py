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


def _secret_key(instance_dir: Path) -> str:
    """Return KB_SECRET_KEY, else a key generated once and kept in the instance dir."""
    from_env = os.environ.get("KB_SECRET_KEY")
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
    settings = {
        "INSTANCE_DIR": str(instance_dir),
        "DATABASE_URL": os.environ.get(
            "KB_DATABASE_URL", f"sqlite:///{instance_dir / 'observatoire.sqlite3'}"
        ),
        "INDEX_DIR": os.environ.get("KB_INDEX_DIR", str(instance_dir / "index")),
        "SEARCH_CACHE_MB": int(os.environ.get("KB_SEARCH_CACHE_MB", "64")),
        "TILES_URL": os.environ.get("KB_TILES_URL", DEFAULT_TILES_URL),
        "TILES_ATTRIBUTION": os.environ.get("KB_TILES_ATTRIBUTION", DEFAULT_TILES_ATTRIBUTION),
        "BIND": os.environ.get("KB_BIND", "127.0.0.1:5000"),
        "WORKERS": int(os.environ.get("KB_WORKERS", "2")),
        "PAGE_SIZE": 20,
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("KB_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("KB_SECURE_COOKIES", "0") == "1",
        "PERMANENT_SESSION_LIFETIME": 14 * 24 * 3600,
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "PROXY_HOPS": int(os.environ.get("KB_PROXY_HOPS", "0")),
        "DEMO_MODE": os.environ.get("KB_DEMO_MODE", "1") == "1",
        "MORNING_HOURS": os.environ.get("KB_MORNING_HOURS", "09:00-12:30"),
        "AFTERNOON_HOURS": os.environ.get("KB_AFTERNOON_HOURS", "13:30-17:00"),
        "RESET_TOKEN_MAX_AGE": int(os.environ.get("KB_RESET_TOKEN_MAX_AGE", "3600")),
        "MAIL_BACKEND": os.environ.get("KB_MAIL_BACKEND", "smtp" if os.environ.get("KB_SMTP_HOST") else "file"),
        "MAIL_DIR": os.environ.get("KB_MAIL_DIR", str(instance_dir / "mail")),
        "MAIL_FROM": os.environ.get("KB_MAIL_FROM", "Observatoire ISIC <observatoire@localhost>"),
        "SMTP_HOST": os.environ.get("KB_SMTP_HOST", "localhost"),
        "SMTP_PORT": int(os.environ.get("KB_SMTP_PORT", "587")),
        "SMTP_USER": os.environ.get("KB_SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("KB_SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": os.environ.get("KB_SMTP_STARTTLS", "1") == "1",
        "FILES_DIR": os.environ.get("KB_FILES_DIR", str(instance_dir / "files")),
        "UPLOAD_MAX_MB": int(os.environ.get("KB_UPLOAD_MAX_MB", "20")),
        # The seminar's registrations: who is told, what the documents say.
        "TEAM_EMAIL": os.environ.get("KB_TEAM_EMAIL", "observatoire@localhost"),
        "REGISTRATION_LINK_DAYS": int(os.environ.get("KB_REGISTRATION_LINK_DAYS", "730")),
        "FUNDING_NOTE": os.environ.get("KB_FUNDING_NOTE", DEFAULT_FUNDING_NOTE),
        # The address published cahiers cite (https://observatoire.example.fr); empty: the publishing request's own.
        "PUBLIC_URL": os.environ.get("KB_PUBLIC_URL", "").strip(),
        "INSTITUTE_NAME": os.environ.get("KB_INSTITUTE_NAME", "Observatoire des pratiques de l'ISIC"),
        "INSTITUTE_ADDRESS": os.environ.get("KB_INSTITUTE_ADDRESS", "Marseille · Avignon · Arles"),
        "INSTITUTE_SIRET": os.environ.get("KB_INSTITUTE_SIRET", ""),
        "INSTITUTE_ACTIVITY_NUMBER": os.environ.get("KB_INSTITUTE_ACTIVITY_NUMBER", ""),
        "VAT_MENTION": os.environ.get("KB_VAT_MENTION", "TVA non applicable, article 261-4-4° a du CGI "
                                                        "(formation professionnelle continue)."),
    }
    settings.update(overrides)
    if "SECRET_KEY" not in settings:
        settings["SECRET_KEY"] = _secret_key(instance_dir)
    return settings
