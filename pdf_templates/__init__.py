"""Printed forms: pure functions from plain data to PDF bytes (no Flask, no models).

Each form module has ``rows(data)`` (the sections, for tests), ``form(data)``
and ``render(data, lang, settings) -> bytes``. ``FORMS`` maps form names to
modules; ``render_batch`` puts many records' forms in one PDF, each starting
on a new page with its own "x / y" page numbers.
"""
from . import (complaint_registration, complaint_report, corrective_action, customer_card,
               repair_report, satisfaction_survey, visit_plan, visit_problem, visit_record)
from .data import PrintSettings
from .layout import build

FORMS = {
    "complaint_registration": complaint_registration,
    "complaint_report": complaint_report,
    "visit_record": visit_record,
    "visit_plan": visit_plan,
    "visit_problem": visit_problem,
    "satisfaction_survey": satisfaction_survey,
    "repair_report": repair_report,
    "corrective_action": corrective_action,
    "customer_card": customer_card,
}
# Forms a customer may be handed empty, to fill in by hand.
BLANK_FORMS = ("satisfaction_survey", "complaint_registration")


def render(name, data, lang="zh", settings=None):
    return FORMS[name].render(data, lang, settings)


def render_batch(name, records, lang="zh", settings=None):
    """One PDF: the form of every record, each starting on a new page."""
    module = FORMS[name]
    return build([module.form(data) for data in records], lang, settings)


def render_blank(name, lang="zh", settings=None):
    if name not in BLANK_FORMS:
        raise KeyError(name)
    return FORMS[name].render({}, lang, settings)


__all__ = ["FORMS", "BLANK_FORMS", "PrintSettings", "render", "render_batch", "render_blank"]
