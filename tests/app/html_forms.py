"""Read the forms of a rendered page the way a browser would submit them (for the edit-form and fuzz tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

UNSUBMITTED_INPUTS = ("submit", "button", "image", "reset", "file")


@dataclass
class Field:
    """One named control: its kind, the values it would submit, and what else it offers (select options)."""

    name: str
    kind: str  # an input type, "select", "select-multiple" or "textarea"
    values: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    """A <form>: where it posts, its controls in page order, and its submit buttons' (name, value)."""

    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def pairs(self, button: int | None = 0) -> list[tuple[str, str]]:
        """What a browser sends: each control's values in page order, then the pressed button (if named)."""
        sent = [(f.name, value) for f in self.fields for value in f.values]
        if button is not None and len(self.buttons) > button and self.buttons[button][0]:
            sent.append(self.buttons[button])
        return sent

    @property
    def names(self) -> list[str]:
        """The names of the controls (CSRF token included)."""
        return list(dict.fromkeys(f.name for f in self.fields))


class _Parser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: tuple[Field, list[tuple[str, bool]]] | None = None
        self.option: list | None = None  # [value or None, text, selected]
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self.form = Form(action=urlsplit(action)._replace(scheme="", netloc="").geturl(),
                             method=(a.get("method") or "get").lower())
            self.forms.append(self.form)
        if self.form is None or "disabled" in a:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if kind in ("submit", "image"):
                self.form.buttons.append((name or "", a.get("value", "")))
            elif name and kind not in UNSUBMITTED_INPUTS:
                checked = kind not in ("checkbox", "radio") or "checked" in a
                default = "on" if kind in ("checkbox", "radio") else ""
                self.form.fields.append(Field(name, kind, [a.get("value", default)] if checked else [],
                                              [a.get("value", default)]))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self.form.buttons.append((a.get("name", ""), a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self.select = (Field(a["name"], "select-multiple" if "multiple" in a else "select"), [])
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "", "selected" in a]
        elif tag == "textarea" and a.get("name"):
            self.textarea = (a["name"], [])

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag in ("option", "select") and self.option is not None:
            value, text, selected = self.option
            self.select[1].append((text.strip() if value is None else value, selected))
            self.option = None
        if tag == "select" and self.select is not None:
            select, options = self.select
            select.options = [value for value, _ in options]
            chosen = [value for value, selected in options if selected]
            if select.kind == "select" and not chosen and options:
                chosen = [options[0][0]]  # a single select without `selected` sends its first option
            select.values = chosen if select.kind == "select-multiple" else chosen[-1:]
            if self.form is not None:
                self.form.fields.append(select)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            text = "".join(parts)
            text = text[1:] if text.startswith("\n") else text  # HTML drops a newline right after <textarea>
            # Browsers send a textarea's line breaks as CRLF.
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
            if self.form is not None:
                self.form.fields.append(Field(name, "textarea", [text]))
            self.textarea = None
        elif tag == "form":
            self.form = None


def parse_forms(page: str, page_url: str) -> list[Form]:
    """Every form of a page, with the values it would submit as it stands."""
    parser = _Parser(page_url)
    parser.feed(page)
    parser.close()
    return parser.forms


def main_form(page: str, page_url: str) -> Form:
    """The page's own POST form (not the logout button or the search box of the header)."""
    forms = [f for f in parse_forms(page, page_url) if f.method == "post" and not f.action.endswith("/deconnexion")]
    assert forms, f"no form to post on {page_url}"
    return forms[0]
