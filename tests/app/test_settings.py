"""Settings come from the environment with safe defaults; the secret key is never hard-coded."""

from __future__ import annotations

import stat

from kb.config import load_settings, write_setting


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


def test_production_default_refuses_demo_accounts(monkeypatch, tmp_path):
    monkeypatch.delenv("KB_DEMO_MODE", raising=False)
    monkeypatch.setenv("KB_INSTANCE_DIR", str(tmp_path))
    assert load_settings()["DEMO_MODE"] is False


def test_instance_settings_file_is_read_and_the_environment_wins(monkeypatch, tmp_path):
    for name in ("KB_DEMO_MODE", "KB_TILES_URL", "KB_PROXY_HOPS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KB_INSTANCE_DIR", str(tmp_path))
    write_setting(tmp_path, "KB_TILES_URL", "https://tuiles.example.fr/{z}/{x}/{y}.png")
    write_setting(tmp_path, "KB_PROXY_HOPS", "1")
    write_setting(tmp_path, "KB_PROXY_HOPS", "2")  # set again: one line, the last value
    assert (tmp_path / "settings.env").read_text().count("KB_PROXY_HOPS") == 1
    settings = load_settings()
    assert settings["TILES_URL"] == "https://tuiles.example.fr/{z}/{x}/{y}.png"
    assert settings["PROXY_HOPS"] == 2
    monkeypatch.setenv("KB_PROXY_HOPS", "0")
    assert load_settings()["PROXY_HOPS"] == 0
