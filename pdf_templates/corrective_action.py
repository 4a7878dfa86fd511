"""纠正和预防措施处理单 — the corrective / preventive action (CAPA) form.

data: number, date, source (Msg), source_ref, action_type (Msg), status
(Msg), department (Msg), owner, due_on, problem, root_cause, action,
verification_notes, verified_by, verified_at.
"""
from domain.i18n import N_

from . import layout
from .data import Field, Fields, Form, Heading, signatures

TITLE = N_("Corrective and preventive action form")


def rows(data):
    d = data.get
    return (
        Fields((
            Field(N_("Source"), d("source")), Field(N_("Source reference"), d("source_ref")),
            Field(N_("Type"), d("action_type")), Field(N_("Status"), d("status")),
            Field(N_("Department"), d("department")),
            Field(N_("Responsible person"), d("owner")),
            Field(N_("Due date"), d("due_on")),
            Field(N_("Problem"), d("problem"), wide=True, lines=4),
            Field(N_("Root cause"), d("root_cause"), wide=True, lines=3),
            Field(N_("Measures"), d("action"), wide=True, lines=4),
        )),
        Heading(N_("Verification")),
        Fields((
            Field(N_("Verification notes"), d("verification_notes"), wide=True, lines=3),
            Field(N_("Verified by"), d("verified_by")), Field(N_("Verified at"), d("verified_at")),
        )),
        signatures(N_("Responsible department"), N_("Verified by")),
    )


def form(data):
    return Form(TITLE, data.get("number"), data.get("date"), rows(data))


def render(data, lang="zh", settings=None):
    return layout.build([form(data)], lang, settings)
