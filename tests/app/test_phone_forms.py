"""What phones need from the server's HTML: pickers made of native checkboxes (no Ctrl+click), the folded menu's
button, and French typography in the bytes sent (the test client reads no-break spaces as spaces elsewhere)."""

from __future__ import annotations

import re

from kb.typography import NBSP
from tests.conftest import post_form


def test_several_organisations_are_picked_with_checkboxes_the_chosen_ones_first(client, session, make, editor):
    tamaris, ccas, addap = (make.organisation(name=n) for n in ("Centre social Les Tamaris", "CCAS d'Arles",
                                                                  "ADDAP 13"))
    person = make.practitioner([addap])
    session.commit()
    page = client.get(f"/intervenants/{person.id}/modifier").get_data(as_text=True)
    assert "<select" not in page.split('id="organisation_ids"')[1].split("</fieldset>")[0]
    boxes = re.findall(r'<input type="checkbox" id="organisation_ids-\d+" name="organisation_ids" value="(\d+)"( checked)?',
                       page)
    assert boxes[0] == (str(addap.id), " checked") and {b[0] for b in boxes} == {str(o.id) for o in (tamaris, ccas, addap)}
    assert sum(1 for _, checked in boxes if checked) == 1 and "Ctrl" not in page
    form = {"first_name": person.first_name, "last_name": person.last_name, "function": person.function,
            "actor_category": person.actor_category, "organisation_ids": [str(tamaris.id), str(ccas.id)]}
    response = post_form(client, f"/intervenants/{person.id}/modifier", form)
    assert response.status_code == 302
    session.expire_all()
    assert sorted(o.name for o in person.organisations) == ["CCAS d'Arles", "Centre social Les Tamaris"]


def test_pages_carry_french_no_break_spaces_and_elisions(client, session, make, sign_in):
    sign_in("professionnel")
    raw = client.get("/pairs", query_string={"lieu": "Arles", "rayon": "20"}).data.decode()
    assert f"Autour d&#39;Arles (13), dans un rayon de 20 km{NBSP}:" in raw
    refused = client.get("/moderation/").data.decode()
    assert f"votre compte{NBSP}: professionnel·le" in refused or "attend la validation" in refused
