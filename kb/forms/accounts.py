"""Input models for sign-up, login, password reset, account administration, consent and messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import field_validator, model_validator
from sqlmodel import Field, SQLModel

from kb.forms.base import FormResult, RecordId, blank_to_none, validate
from kb.forms.fields import check_choice, check_email, check_one_line
from kb.models import choices

PASSWORD_MIN = 10
SELF_SERVICE_ROLES = {k: v for k, v in choices.ROLES.items() if k != "admin"}


def _checkbox(form: Mapping[str, Any], name: str) -> bool:
    return form.get(name) in ("on", "1", "true", "oui")


class _Stripped(SQLModel):
    @field_validator("*", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return v.strip() if isinstance(v, str) and not isinstance(v, bool) else v


def _new_password(password: str, confirm: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise ValueError(f"Le mot de passe doit compter au moins {PASSWORD_MIN} caractères.")
    if password != confirm:
        raise ValueError("Les deux mots de passe ne sont pas identiques.")


class SignupInput(_Stripped):
    """A new account as typed in the sign-up form."""

    email: str = Field(min_length=1, max_length=120)
    display_name: str = Field(min_length=2, max_length=120)
    role: str
    password: str = Field(min_length=1, max_length=200)
    password_confirm: str = Field(default="", max_length=200)

    _email = field_validator("email")(classmethod(lambda cls, v: check_email(v).lower()))
    _one_line = field_validator("display_name")(classmethod(lambda cls, v: check_one_line(v)))

    @field_validator("role")
    @classmethod
    def _role(cls, v: str) -> str:
        return check_choice(v, SELF_SERVICE_ROLES)

    @model_validator(mode="after")
    def _passwords(self) -> SignupInput:
        try:
            _new_password(self.password, self.password_confirm)
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        return self


def parse_signup(form: Mapping[str, Any]) -> FormResult[SignupInput]:
    """Validate the sign-up form; password errors are shown next to the password field."""
    result = validate(SignupInput, {k: form.get(k, "") for k in SignupInput.model_fields})
    if "__all__" in result.errors:
        result.errors["password"] = result.errors.pop("__all__")
    if not form.get("accept_privacy"):
        result.errors["accept_privacy"] = "Lisez et acceptez la politique de confidentialité pour créer un compte."
        result.data = None
    return result


class LoginInput(_Stripped):
    """E-mail and password typed in the login form."""

    email: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=1, max_length=200)
    remember: bool = False


def parse_login(form: Mapping[str, Any]) -> FormResult[LoginInput]:
    """Validate the login form."""
    return validate(LoginInput, {"email": form.get("email", "").lower(), "password": form.get("password", ""),
                                 "remember": _checkbox(form, "remember")})


class EmailInput(_Stripped):
    """The address a password reset is sent to."""

    email: str = Field(min_length=1, max_length=120)

    _email = field_validator("email")(classmethod(lambda cls, v: check_email(v).lower()))


def parse_email(form: Mapping[str, Any]) -> FormResult[EmailInput]:
    """Validate the forgotten-password form."""
    return validate(EmailInput, {"email": form.get("email", "")})


class NewPasswordInput(SQLModel):
    """A new password typed twice."""

    password: str = Field(min_length=1, max_length=200)
    password_confirm: str = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _passwords(self) -> NewPasswordInput:
        _new_password(self.password, self.password_confirm)
        return self


def parse_new_password(form: Mapping[str, Any]) -> FormResult[NewPasswordInput]:
    """Validate a new password; its errors sit next to the first password field."""
    result = validate(NewPasswordInput, {"password": form.get("password", ""),
                                         "password_confirm": form.get("password_confirm", "")})
    if "__all__" in result.errors:
        result.errors["password"] = result.errors.pop("__all__")
    return result


class AccountAdminInput(SQLModel):
    """What an admin changes on an account: role, approval, linked practitioner."""

    role: str
    approved: bool = False
    practitioner_id: RecordId | None = None

    _blank = field_validator("practitioner_id", mode="before")(classmethod(lambda cls, v: blank_to_none(v)))

    @field_validator("role")
    @classmethod
    def _role(cls, v: str) -> str:
        return check_choice(v, choices.ROLES)


def parse_account_admin(form: Mapping[str, Any]) -> FormResult[AccountAdminInput]:
    """Validate the account administration form."""
    return validate(AccountAdminInput, {"role": form.get("role", ""), "approved": _checkbox(form, "approved"),
                                        "practitioner_id": form.get("practitioner_id", "")})


class ConsentInput(SQLModel):
    """A practitioner's consent: listed in the directory, contact may be shared."""

    listed: bool = False
    contact: bool = False

    @model_validator(mode="after")
    def _scope(self) -> ConsentInput:
        if self.contact and not self.listed:
            raise ValueError("Pour être contacté·e, acceptez d'abord de figurer dans l'annuaire.")
        return self


def parse_consent(form: Mapping[str, Any]) -> FormResult[ConsentInput]:
    """Validate the consent form."""
    result = validate(ConsentInput, {"listed": _checkbox(form, "listed"), "contact": _checkbox(form, "contact")})
    if "__all__" in result.errors:
        result.errors["contact"] = result.errors.pop("__all__")
    return result


class MessageInput(_Stripped):
    """A message sent to a practitioner through the relay."""

    subject: str = Field(min_length=3, max_length=150)
    body: str = Field(min_length=20, max_length=5000)

    @field_validator("subject")
    @classmethod
    def _one_line(cls, v: str) -> str:
        if any(ord(c) < 32 for c in v):
            raise ValueError("L'objet tient sur une ligne, sans caractère de contrôle.")
        return v


def parse_message(form: Mapping[str, Any]) -> FormResult[MessageInput]:
    """Validate the contact relay form."""
    return validate(MessageInput, {"subject": form.get("subject", ""), "body": form.get("body", "")})


class DeleteAccountInput(SQLModel):
    """Deleting one's account asks for the password again."""

    password: str = Field(min_length=1, max_length=200)


def parse_delete_account(form: Mapping[str, Any]) -> FormResult[DeleteAccountInput]:
    """Validate the account deletion form."""
    return validate(DeleteAccountInput, {"password": form.get("password", "")})
