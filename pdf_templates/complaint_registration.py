"""客户投诉登记表 — the complaint registration form (also printed blank).

data: number, date, customer, customer_code, phone, address, complainant,
complainant_phone, received_at, channel, category, severity (Msg labels),
target_kind (Msg), target (text or Msg), description, department (Msg),
handler, contact_due, response_due, promised_due. Every key is optional.
"""
from domain import choices
from domain.i18n import N_

from . import layout
from .data import Field, Fields, Form, Heading, options, signatures

TITLE = N_("Customer complaint registration form")


def rows(data):
    d = data.get
    blank = not data
    channel = d("channel") or options(choices.COMPLAINT_CHANNELS)
    category = d("category") or options(choices.COMPLAINT_CATEGORY)
    severity = d("severity") or options(choices.SEVERITY)
    return (
        Fields((
            Field(N_("Customer"), d("customer")), Field(N_("Code"), d("customer_code")),
            Field(N_("Complainant"), d("complainant")),
            Field(N_("Complainant's phone"), d("complainant_phone")),
            Field(N_("Phone"), d("phone")), Field(N_("Received at"), d("received_at")),
            Field(N_("Address"), d("address"), wide=True),
            Field(N_("Severity"), severity), Field(N_("Channel"), channel, wide=blank),
            Field(N_("Category"), category, wide=blank),
            Field(N_("Complaint target"), d("target_kind") or options(choices.COMPLAINT_TARGETS),
                  wide=blank),
            Field(N_("Target"), d("target"), wide=blank),
            Field(N_("Description"), d("description"), wide=True, lines=10),
        )),
        Heading(N_("Handling")),
        Fields((
            Field(N_("Responsible department"), d("department")),
            Field(N_("Handler"), d("handler")),
            Field(N_("Contact deadline"), d("contact_due")),
            Field(N_("Response deadline"), d("response_due")),
            Field(N_("Promised to the customer by"), d("promised_due"), wide=True),
        )),
        signatures(N_("Registered by"), N_("Reviewed by")),
    )


def form(data):
    return Form(TITLE, data.get("number"), data.get("date"), rows(data))


def render(data, lang="zh", settings=None):
    return layout.build([form(data)], lang, settings)
