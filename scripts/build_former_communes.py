"""Build `maps/data/communes_anciennes.csv`: former communes and former names, each with the current commune.

Run once by a maintainer, not at set-up (the CSV is committed). Input: the `data/communes.json` of several
versions of the npm package `@etalab/decoupage-administratif` (INSEE's Code officiel géographique, Licence
Ouverte), unpacked side by side, the newest first::

    for v in 6.0.0 3.1.1 1.1.1 0.7.0 0.5.1 0.3.0; do
        mkdir -p /tmp/dec/$v && (cd /tmp/dec/$v && npm pack @etalab/decoupage-administratif@$v && tar xzf *.tgz)
    done
    python scripts/build_former_communes.py /tmp/dec/6.0.0 /tmp/dec/3.1.1 ... > maps/data/communes_anciennes.csv

Each version says where a code went: `chefLieu` (a commune déléguée or associée), `anciensCodes` (a commune
nouvelle's absorbed codes), `communeAbsorbante` and `nouveauCode` (0.3.0's absorbed communes and changed codes).
Following those links to a commune of the newest version gives, for every code and name ever seen, today's
commune. A row is written when the code or the name differs from today's.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

CURRENT = "commune-actuelle"


def _load(directory: str) -> list[dict]:
    return json.loads((Path(directory) / "package" / "data" / "communes.json").read_text(encoding="utf-8"))


def main(directories: list[str]) -> None:
    newest, *older = [_load(d) for d in directories]
    current = {c["code"]: c for c in newest if c["type"] == CURRENT}
    successor: dict[str, str] = {}
    for version in [newest, *older]:
        for entry in version:
            for old in entry.get("anciensCodes", ()):
                successor.setdefault(old, entry["code"])
            target = entry.get("chefLieu") or entry.get("communeAbsorbante") or entry.get("nouveauCode")
            if target and target != entry["code"] and entry["type"] != CURRENT:
                successor.setdefault(entry["code"], target)

    def today(code: str) -> str | None:
        seen = set()
        while code not in current:
            if code in seen or code not in successor:
                return None
            seen.add(code)
            code = successor[code]
        return code

    rows: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for version in [newest, *older]:
        for entry in version:
            if entry["type"] == "arrondissement-municipal":
                continue
            code = entry["code"]
            # A commune déléguée may share its chef-lieu's code: it is that commune's former name.
            now = code if code in current else today(code)
            if entry["type"] in ("commune-deleguee", "commune-associee") and entry.get("chefLieu"):
                now = today(entry["chefLieu"])
            if now is None:
                continue
            if code == now and entry["nom"] == current[now]["nom"]:
                continue
            rows.setdefault((code, entry["nom"]), (code, entry["nom"], now, current[now]["departement"]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code_insee_ancien", "nom_ancien", "code_insee", "departement"])
    for row in sorted(rows.values()):
        out.writerow(row)
    print(f"{len(rows)} anciennes communes ou anciens noms", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
