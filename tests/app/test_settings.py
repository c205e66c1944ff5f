"""Settings come from the environment with safe defaults; the secret key is never hard-coded."""

from __future__ import annotations

import stat

from kb.config import load_settings


def test_defaults_live_in_the_instance_dir(monkeypatch, tmp_path):
    for name in ("KB_DATABASE_URL", "KB_INDEX_DIR", "KB_SECRET_KEY", "KB_TILES_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KB_INSTANCE_DIR", str(tmp_path / "inst"))
    settings = load_settings()
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'inst' / 'observatoire.sqlite3'}"
    assert settings["INDEX_DIR"] == str(tmp_path / "inst" / "index")
    assert settings["TILES_URL"].startswith("https://")


def test_generated_secret_is_kept_private_and_stable(monkeypatch, tmp_path):
    monkeypatch.delenv("KB_SECRET_KEY", raising=False)
    monkeypatch.setenv("KB_INSTANCE_DIR", str(tmp_path))
    first = load_settings()["SECRET_KEY"]
    assert len(first) >= 32
    assert load_settings()["SECRET_KEY"] == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("KB_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("KB_DATABASE_URL", "postgresql+psycopg://kb@localhost/kb")
    monkeypatch.setenv("KB_SECRET_KEY", "from-env")
    monkeypatch.setenv("KB_TILES_URL", "http://127.0.0.1:8080/{z}/{x}/{y}.png")
    settings = load_settings()
    assert settings["DATABASE_URL"] == "postgresql+psycopg://kb@localhost/kb"
    assert settings["SECRET_KEY"] == "from-env"
    assert settings["TILES_URL"] == "http://127.0.0.1:8080/{z}/{x}/{y}.png"
    assert not (tmp_path / "secret_key").exists()
