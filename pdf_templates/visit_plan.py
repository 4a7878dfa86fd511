"""回访计划表 — the plan sheet: the plan's details, then its planned visits
as a table that flows over as many pages as needed, header row repeated.

data: name, kind, status (Msg), period_start, period_end, created_by,
approved_by, approved_at, number, date, items: [{due_on, customer_code,
customer, phone, channel, focus, assignee, status, appointment (an onsite
visit's booked time and contact person)}] in due-date order.
"""
from domain.i18n import N_

from . import layout
from .data import Column, Field, Fields, Form, Heading, Table, signatures, text

TITLE = N_("Visit plan sheet")
# Widths keep every cell of a usual row within the two lines the focus takes.
COLUMNS = (Column(N_("No."), 0.6, True), Column(N_("Due date"), 1.45, True),
           Column(N_("Code"), 1.15, True), Column(N_("Customer"), 1.65), Column(N_("Phone"), 1.2),
           Column(N_("Channel"), 0.95, True), Column(N_("Focus"), 2.0),
           Column(N_("Appointment"), 1.45), Column(N_("Assignee"), 1.05, True),
           Column(N_("Status"), 1.05, True), Column(N_("Result"), 1.0))


def item_rows(items):
    return tuple((str(i), text(v.get("due_on")), v.get("customer_code"), v.get("customer"),
                  v.get("phone"), v.get("channel"), v.get("focus"), v.get("appointment"),
                  v.get("assignee"), v.get("status"), None) for i, v in enumerate(items or (), 1))


def rows(data):
    d = data.get
    items = d("items") or ()
    return (
        Fields((
            Field(N_("Name"), d("name"), wide=True),
            Field(N_("Kind"), d("kind")), Field(N_("Status"), d("status")),
            Field(N_("Period start"), d("period_start")), Field(N_("Period end"), d("period_end")),
            Field(N_("Created by"), d("created_by")), Field(N_("Approved by"), d("approved_by")),
            Field(N_("Approved at"), d("approved_at")),
            Field(N_("Planned visits"), str(len(items))),
        )),
        Heading(N_("Planned visits")),
        Table(COLUMNS, item_rows(items), empty_rows=5, small=True),
        signatures(N_("Prepared by"), N_("Approved by")),
    )


def form(data):
    return Form(TITLE, data.get("number"), data.get("date"), rows(data))


def render(data, lang="zh", settings=None):
    return layout.build([form(data)], lang, settings)
