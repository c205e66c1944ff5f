"""One writer of the soak test, in a process of its own: signs in, then creates, edits, publishes and
deletes actions (or renames organisations) through the real forms until told to stop or the server dies.

Usage: python -m tests.served.soak_writer BASE_URL EMAIL PASSWORD NAME OPERATIONS OUT_FILE
Each answered request is one JSON line in OUT_FILE: {"op", "code", "id", "title"}.
"""

from __future__ import annotations

import html
import json
import random
import re
import sys

import requests

from tests.served.conftest import form_token, sign_in

ACTION_FORM = {
    "summary": "Un temps d'échange collectif entre habitant·es et professionnel·les.",
    "writeup": "## Contexte\n\nUn groupe d'habitant·es se réunit chaque semaine.",
    "mode": "groupe", "status": "en_cours", "location_precision": "commune", "commune": "13200",
    "start_date": "2012-02-24", "publics": "Familles", "themes": "Parentalité", "confirm_warnings": "1",
}
SHARED = range(1, 25)  # demo actions
WORDS = ["jardin", "cuisine", "radio", "chantier", "ludothèque", "marche", "théâtre", "vélo", "couture", "musique"]


def form_values(page: str) -> dict[str, str]:
    """The values a form shows: text inputs and the selected option of each select."""
    values = {name: html.unescape(value)
              for name, value in re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page)}
    for name, options in re.findall(r'<select[^>]*name="([a-z_]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        values[name] = html.unescape(chosen.group(1)) if chosen else ""
    values.pop("csrf_token", None)
    return values


class Writer:
    """A person writing through the site, recording what the server answered."""

    def __init__(self, base: str, name: str, out) -> None:
        self.base, self.name, self.out = base, name, out
        self.http = requests.Session()
        self.rng = random.Random(name)
        self.mine: list[int] = []
        self.count = 0

    def note(self, op: str, code: int, action_id: int | None = None, title: str | None = None) -> None:
        self.out.write(json.dumps({"op": op, "code": code, "id": action_id, "title": title}) + "\n")
        self.out.flush()

    def title(self) -> str:
        self.count += 1
        return f"Soak {self.name} {self.count} {self.rng.choice(WORDS)}"

    def post(self, path: str, data: dict) -> requests.Response:
        token = form_token(self.http, self.base + path)
        return self.http.post(self.base + path, data={**data, "csrf_token": token}, allow_redirects=False, timeout=60)

    def create(self, publication: str) -> None:
        title = self.title()
        answer = self.post("/actions/nouvelle", {**ACTION_FORM, "title": title, "publication_status": publication})
        found = re.search(r"/actions/(\d+)$", answer.headers.get("Location", ""))
        action_id = int(found.group(1)) if found else None
        if action_id:
            self.mine.append(action_id)
        self.note("create", answer.status_code, action_id, title)

    def edit(self, publication: str, shared: bool) -> None:
        # Trainers and admins also edit the demo's actions, which the others' renames touch too: several
        # writers then change the same search documents at once.
        action_id = self.rng.choice(self.mine + (list(SHARED) if shared else []))
        title = self.title()
        answer = self.post(f"/actions/{action_id}/modifier",
                           {**ACTION_FORM, "title": title, "publication_status": publication})
        self.note("edit", answer.status_code, action_id, title)

    def delete(self) -> None:
        action_id = self.mine.pop(self.rng.randrange(len(self.mine)))
        self.note("delete", self.post(f"/actions/{action_id}/supprimer", {}).status_code, action_id)

    def publish_waiting(self) -> None:
        queue = self.http.get(self.base + "/moderation/", timeout=60).text
        waiting = sorted(set(re.findall(r"/moderation/actions/(\d+)", queue)))
        if waiting:
            action_id = int(self.rng.choice(waiting))
            answer = self.post(f"/moderation/actions/{action_id}", {"decision": "publier", "comment": ""})
            self.note("publish", answer.status_code, action_id)

    def rename_organisation(self) -> None:
        org_id = self.rng.randint(1, 12)
        values = form_values(self.http.get(self.base + f"/organisations/{org_id}/modifier", timeout=60).text)
        values.update(name=f"Structure {self.title()}")
        self.note("organisation", self.post(f"/organisations/{org_id}/modifier", values).status_code, org_id)

    def step(self, role: str) -> None:
        roll = self.rng.random()
        if not self.mine or roll < 0.4:
            self.create("publiee" if role != "professionnel" else "en_attente")
        elif roll < 0.75:
            self.edit("publiee" if role != "professionnel" else "en_attente", shared=role != "professionnel")
        elif role == "formateur" and roll < 0.9:
            self.publish_waiting()
        elif role == "admin" and roll < 0.9:
            self.rename_organisation()
        elif len(self.mine) > 2:
            self.delete()
        else:
            self.create("publiee" if role != "professionnel" else "en_attente")


def main(base: str, email: str, password: str, name: str, operations: str, out_file: str) -> int:
    role = "formateur" if "formatrice" in email else "admin" if email.startswith("admin") else "professionnel"
    with open(out_file, "a", encoding="utf-8") as out:
        writer = Writer(base, name, out)
        try:
            sign_in(writer.http, base, email, password)
            for _ in range(int(operations)):
                writer.step(role)
        except (requests.ConnectionError, requests.Timeout, AssertionError) as exc:
            writer.note(f"stopped: {type(exc).__name__}", 0)  # the server was killed under us
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
