"""Invoices (factures) and credit notes (avoirs) of registrations, numbered per year without gap or reuse.

A number is taken by incrementing `InvoiceCounter` in the transaction that writes the invoice: if
that transaction rolls back, so does the increment, and a concurrent issuer waits on the counter's
row lock (PostgreSQL) or the write lock (SQLite) until the first commits. An issued invoice never
changes: when what it bills changes (a trainee cancelled, the whole registration cancelled), a credit
note cancels it and, if something is still to be billed, a new invoice follows.
"""

from __future__ import annotations

import contextlib
import json
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from kb.models import Invoice, InvoiceCounter, Registration


def next_number(session: Session, kind: str, year: int) -> int:
    """Take the next number of `kind` ('facture' or 'avoir') for `year`."""
    if session.get(InvoiceCounter, (kind, year)) is None:
        # Another transaction may create this year's counter first: then its row is the one incremented below.
        with contextlib.suppress(IntegrityError), session.begin_nested():
            session.add(InvoiceCounter(kind=kind, year=year, last=0))
    session.execute(update(InvoiceCounter).where(InvoiceCounter.kind == kind, InvoiceCounter.year == year)
                    .values(last=InvoiceCounter.last + 1))
    counter = session.get(InvoiceCounter, (kind, year), populate_existing=True)
    return counter.last


def current_invoice(registration: Registration) -> Invoice | None:
    """The registration's invoice that no credit note has cancelled."""
    return next((i for i in registration.invoices if i.kind == "facture" and not i.credited), None)


def _issue(session: Session, registration: Registration, kind: str, today: date, quantity: int,
           lines: list[str], credits: Invoice | None = None) -> Invoice:
    invoice = Invoice(kind=kind, year=today.year,
                      number=next_number(session, kind, today.year), issued_on=today, quantity=quantity,
                      unit_price_eur=registration.unit_price_eur, amount_eur=quantity * registration.unit_price_eur,
                      lines=json.dumps(lines, ensure_ascii=False), credits_id=credits.id if credits else None)
    registration.invoices.append(invoice)
    session.flush()
    return invoice


def billed_now(registration: Registration) -> list[str]:
    """What an invoice issued now would bill: the trainees holding a seat of a confirmed registration."""
    if registration.status != "confirmee":
        return []
    return [f"{t.last_name.upper()} {t.first_name}" for t in registration.seated()]


def sync_invoice(session: Session, registration: Registration, today: date) -> list[Invoice]:
    """Make the invoices follow the registration; returns the documents issued (credit note, invoice)."""
    wanted = billed_now(registration)
    current = current_invoice(registration)
    if current is not None and json.loads(current.lines) == wanted:
        return []
    issued = []
    if current is not None:
        current.credited = True
        session.add(current)
        issued.append(_issue(session, registration, "avoir", today, current.quantity, json.loads(current.lines),
                             credits=current))
    if wanted:
        issued.append(_issue(session, registration, "facture", today, len(wanted), wanted))
    return issued


def invoice_lines(invoice: Invoice) -> list[str]:
    """The trainees an invoice or credit note bills, as printed."""
    return json.loads(invoice.lines)


def find(session: Session, registration: Registration, kind: str, label: str) -> Invoice | None:
    """An invoice or credit note of this registration by its printed number (F-2026-0001)."""
    for invoice in session.exec(select(Invoice).where(Invoice.registration_id == registration.id,
                                                      Invoice.kind == kind)):
        if invoice.label == label:
            return invoice
    return None
