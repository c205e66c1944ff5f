"""SQLModel tables, one module per domain; importing this package registers them all."""

from sqlmodel import SQLModel

# Named constraints let later Alembic migrations alter them (SQLite batch mode needs names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# isort: split

from kb.models.account import ApiToken, RateEvent, SignupRequest, UserAccount
from kb.models.action import ActionPractitioner, FieldAction
from kb.models.cahier import Cahier, CahierSection
from kb.models.findings import Barrier, Effect, Lever
from kb.models.mailqueue import QueuedMail
from kb.models.moderation import ActionReport, ActionRevision
from kb.models.outbox import ContentRevision, IndexChange, IndexCursor, IndexLogHead, IndexVersion
from kb.models.people import (
    ActionPartner,
    ConsentRecord,
    Organisation,
    Practitioner,
    PractitionerOrganisation,
)
from kb.models.seminar import (
    Invoice,
    InvoiceCounter,
    Presence,
    Registration,
    RegistrationEvent,
    Seminar,
    SeminarDay,
    SeminarSeat,
    Trainee,
)
from kb.models.tag import ActionTag, Tag, TagAlias
from kb.models.territory import Commune, Territory, TerritoryCommune
from kb.models.tool import Tool, ToolAction, ToolFile, ToolSession
from kb.models.workshop import (
    Attendance,
    DebateAttendee,
    DebateDay,
    DebateTheme,
    DebateVote,
    Enrolment,
    JoinRequest,
    Presentation,
    PresentationPresenter,
    Workshop,
    WorkshopSession,
    WorkshopTrainer,
)

__all__ = [
    "ApiToken",
    "Attendance",
    "Cahier",
    "CahierSection",
    "DebateAttendee",
    "DebateDay",
    "DebateTheme",
    "DebateVote",
    "Enrolment",
    "JoinRequest",
    "Presentation",
    "PresentationPresenter",
    "Invoice",
    "InvoiceCounter",
    "Presence",
    "Registration",
    "RegistrationEvent",
    "Seminar",
    "SeminarSeat",
    "Trainee",
    "SeminarDay",
    "Workshop",
    "WorkshopSession",
    "WorkshopTrainer",
    "ActionPartner",
    "ActionPractitioner",
    "ActionReport",
    "ActionRevision",
    "ActionTag",
    "Barrier",
    "Commune",
    "ConsentRecord",
    "Effect",
    "FieldAction",
    "ContentRevision",
    "IndexChange",
    "IndexCursor",
    "IndexLogHead",
    "IndexVersion",
    "QueuedMail",
    "SignupRequest",
    "Lever",
    "Organisation",
    "Practitioner",
    "RateEvent",
    "PractitionerOrganisation",
    "Tag",
    "TagAlias",
    "Territory",
    "TerritoryCommune",
    "Tool",
    "ToolAction",
    "ToolFile",
    "ToolSession",
    "UserAccount",
]
