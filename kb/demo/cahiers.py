"""Demo cahiers: n° 1 from the 2012 group's workshops (published in December 2012), the current year's number
(published), and the next one in preparation; most published actions have their authors' agreement."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from kb.forms.cahiers import CahierInput, SectionInput
from kb.models import FieldAction, Presentation, Tool, Workshop, WorkshopSession
from kb.policy import Viewer
from kb.services import cahiers

_TEAM = Viewer(role="admin")

EDITORIAL_2012 = """Ce premier cahier rend compte d'une année de travail du groupe ISIC de Marseille : six demi-journées
d'ateliers de mutualisation, où des professionnel·les ont présenté une action collective menée avec les personnes
qu'ils et elles accompagnent.

L'observatoire s'est donné trois questions :

- quels **effets** ces actions ont-elles sur les personnes, sur les groupes, sur les territoires ?
- quels **freins** les directions, les chef·fes de service et les intervenant·es rencontrent-ils ?
- quels **outils** peut-on construire ensemble pour les surmonter ?

Les textes qui suivent sont ceux des équipes, relus avec elles. Les personnes accompagnées n'y sont jamais nommées."""

EDITORIAL_NOW = """Dix ans après la création de l'observatoire, les actions recensées dessinent une carte du travail
social collectif autour de Marseille, d'Avignon et d'Arles. Ce numéro croise les récits d'actions de
développement social local avec les chiffres de l'observatoire : ce qui change pour les habitant·es, et ce qui
freine encore les équipes.

Les chiffres sont ceux du jour de la publication ; ils ne bougeront plus dans ce cahier."""

CREDITS = """Coordination : l'équipe de l'observatoire. Relecture : les formateur·rices des groupes ISIC.
Merci aux équipes qui ont accepté de partager leurs actions (données de démonstration)."""


def _published(session: Session, number: int, title: str, issue: date, editorial: str,
               sections: list[SectionInput]) -> None:
    cahier = cahiers.save_cahier(session, CahierInput(number=number, title=title, issue_date=issue,
                                                      editorial=editorial, credits=CREDITS), _TEAM)
    for section in sections:
        cahiers.add_section(session, cahier, section)
    # Invented texts: the check's doubts were reread when the demo was written.
    cahiers.publish(session, cahier, _TEAM, confirmed=True, now=datetime(issue.year, issue.month, issue.day, 10,
                                                                         tzinfo=UTC))


def add_demo_cahiers(session: Session, tools: list[Tool], today: date) -> int:
    """Give most published actions their authors' agreement, then compose and publish the demo cahiers."""
    published = list(session.exec(select(FieldAction).where(FieldAction.publication_status == "publiee")
                                  .order_by(FieldAction.id)))
    presented = set(session.exec(select(Presentation.action_id)))
    for i, action in enumerate(published):
        if i % 6 != 5 or action.id in presented:  # one in six others did not agree: the composer leaves it out
            start = action.start_date or date(2012, 1, 1)
            action.cahiers_consent_at = datetime(max(start.year, 2012), 1, 15, 9, tzinfo=UTC)
    session.flush()
    agreed = [a for a in published if a.cahiers_consent_at is not None]
    meetings_2012 = list(session.exec(select(WorkshopSession).join(Workshop).where(Workshop.year == 2012)
                                      .order_by(WorkshopSession.day)))
    agreed_ids = {a.id for a in agreed}
    presented_2012 = [p.action for m in meetings_2012 for p in m.presentations if p.action_id in agreed_ids]
    shown_tools = [t for t in tools if t.publication_status == "publiee"][:2]

    first = [SectionInput(kind="seance", ref_id=m.id) for m in meetings_2012[:3] if m.presentations]
    first += [SectionInput(kind="action", ref_id=a.id) for a in list({a.id: a for a in presented_2012}.values())[:2]]
    first += [SectionInput(kind="outil", ref_id=t.id) for t in shown_tools[:1]]
    first.append(SectionInput(kind="chiffres", figure="freins-par-acteur", filters={"year_to": "2012"},
                              heading="Qui voit quels freins ? Les actions engagées jusqu'en 2012",
                              comment="Le tableau croise le type de frein et la place de celui ou celle qui le "
                                      "rapporte : direction, encadrement, intervenant·e de terrain."))
    _published(session, 1, "Agir avec les personnes : ce que les ateliers de 2012 nous apprennent",
               date(2012, 12, 14), EDITORIAL_2012, first)

    local = [a for a in agreed if a.mode == "dsl"][:3] or agreed[:3]
    year = today.year
    second = [SectionInput(kind="chiffres", figure="actions-par-territoire",
                           comment="Toutes les actions publiées, par territoire et par mode d'intervention.")]
    second += [SectionInput(kind="action", ref_id=a.id) for a in local]
    second.append(SectionInput(kind="chiffres", figure="effets-par-preuve",
                               heading="Les effets observés, et sur quelles preuves"))
    second += [SectionInput(kind="outil", ref_id=t.id) for t in shown_tools[1:2]]
    _published(session, 2, f"Développement social local : effets et freins en {year}",
               min(today, date(year, 11, 20)), EDITORIAL_NOW, second)

    draft = cahiers.save_cahier(session, CahierInput(number=3, title="Évaluer avec les habitant·es",
                                                     issue_date=date(year + 1, 6, 15),
                                                     editorial="*Éditorial à écrire.*"), _TEAM)
    refused = next((a for a in published if a.cahiers_consent_at is None), None)
    for section in ([SectionInput(kind="action", ref_id=refused.id)] if refused else []) + [
            SectionInput(kind="chiffres", figure="actions-par-annee", filters={"year_from": "2010"})]:
        cahiers.add_section(session, draft, section)
    return 3
