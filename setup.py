"""The wheel carries the app's pages: ``templates/`` and ``static/`` (with Leaflet and MarkerCluster, copied from
the npm lock's packages, never from a CDN) are copied into the ``kb`` package when it is built (``kb.resources``
finds them there). Everything else is declared in pyproject.toml."""

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
VENDOR = {"leaflet": "leaflet/dist", "leaflet.markercluster": "leaflet.markercluster/dist"}


def vendor_assets() -> None:
    """static/vendor from node_modules (``npm ci`` from package-lock.json when missing), as `make assets` does."""
    if (ROOT / "static" / "vendor" / ".installed").exists():
        return
    if not all((ROOT / "node_modules" / path).is_dir() for path in VENDOR.values()):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True)
    target = ROOT / "static" / "vendor"
    shutil.rmtree(target, ignore_errors=True)
    for name, path in VENDOR.items():
        shutil.copytree(ROOT / "node_modules" / path, target / name / "dist")
    (target / ".installed").touch()


class BuildWithPages(build_py):
    """build_py, then the templates and static files into build/lib/kb/."""

    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout
            return
        vendor_assets()
        for name in ("templates", "static"):
            target = Path(self.build_lib) / "kb" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target, ignore=shutil.ignore_patterns(".installed", "__pycache__"))


setup(cmdclass={"build_py": BuildWithPages})
