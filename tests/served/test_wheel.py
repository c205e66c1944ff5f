"""The built wheel is a working app: installed into a fresh venv outside the checkout, it migrates, loads the
demo, serves every main page with its templates, styles and Leaflet, and signs a demo account in."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import requests

from tests.pg import free_port
from tests.served.conftest import ROOT, form_token

PAGES = ["/", "/actions/", "/actions/1", "/carte", "/pairs", "/recherche?q=%C3%A9valuation", "/organisations/",
         "/intervenants/", "/territoires/", "/outils/", "/ateliers/", "/agenda", "/seminaire/", "/cahiers/", "/compte/connexion",
         "/static/vendor/leaflet/dist/leaflet.js", "/static/vendor/leaflet.markercluster/dist/leaflet.markercluster.js",
         "/static/css/app.css"]


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def test_the_wheel_installed_outside_the_checkout_serves_the_app(tmp_path, empty_database):
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(dist)])
    wheel = next(dist.glob("observatoire_isic-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "kb/templates/base.html" in names
    assert "kb/static/vendor/leaflet/dist/leaflet.js" in names
    assert "kb/migrations/env.py" in names

    # A fresh venv; its dependencies are this venv's packages (a path, so this venv's editable `kb` is not seen).
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    site = Path(_run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
                     ).stdout.strip())
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet", "--no-deps",
          str(wheel)])
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("KB_") and key != "PYTHONPATH"}
    env.update(KB_INSTANCE_DIR=str(work / "instance"), KB_MAIL_BACKEND="file",
               KB_TILES_URL="http://127.0.0.1:9/{z}/{x}/{y}.png")
    if empty_database:  # the PostgreSQL run: an empty database of the run's cluster
        env["KB_DATABASE_URL"] = empty_database
    where = _run([str(venv / "bin" / "python"), "-c", "import kb; print(kb.__file__)"], env=env, cwd=work).stdout
    assert where.startswith(str(site)), where  # the installed package, not the checkout

    command = str(venv / "bin" / "observatoire")
    _run([command, "db", "upgrade"], env=env, cwd=work)
    _run([command, "demo"], env=env, cwd=work)
    port = free_port()
    log = (work / "serve.log").open("wb")
    server = subprocess.Popen([command, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"], env=env, cwd=work,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(base + "/", timeout=5)
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline, (work / "serve.log").read_text()
                time.sleep(0.3)
        for page in PAGES:
            answer = requests.get(base + page, timeout=30)
            assert answer.status_code == 200, (page, answer.status_code, answer.text[:300])
        home = requests.get(base + "/", timeout=30).text
        assert "Observatoire" in home and "/static/css/app.css" in home
        assert "Leaflet 1.9" in requests.get(base + "/static/vendor/leaflet/dist/leaflet.js", timeout=30).text
        http = requests.Session()
        token = form_token(http, base + "/compte/connexion")
        signed = http.post(base + "/compte/connexion", data={"csrf_token": token, "password": "demo-pro-2012",
                                                             "email": "professionnelle@demo.observatoire-isic.fr"},
                           allow_redirects=False, timeout=30)
        assert signed.status_code == 302
        assert http.get(base + "/actions/nouvelle", timeout=30).status_code == 200
        pdf = requests.get(base + "/cahiers/1/cahier.pdf", timeout=120)  # WeasyPrint reads the packaged styles
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert "Traceback" not in (work / "serve.log").read_text()
