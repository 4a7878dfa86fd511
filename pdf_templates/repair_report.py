"""产品维修报告单 — the repair report handed over with the repaired product.

data: number, date, customer, phone, address, equipment_model, serial_no,
purchased_on, warranty_until, under_warranty (bool), received_at,
technician, status (Msg), fault, diagnosis, parts, labour, cost,
completed_at, customer_signoff, feedback_score.
"""
from domain.i18n import N_

from . import layout
from .data import Field, Fields, Form, Heading, signatures

TITLE = N_("Product repair report")


def rows(data):
    d = data.get
    return (
        Fields((
            Field(N_("Customer"), d("customer")), Field(N_("Phone"), d("phone")),
            Field(N_("Address"), d("address"), wide=True),
            Field(N_("Product model"), d("equipment_model")),
            Field(N_("Serial / plate number"), d("serial_no")),
            Field(N_("Purchased on"), d("purchased_on")),
            Field(N_("Warranty until"), d("warranty_until")),
            Field(N_("Received at"), d("received_at")),
            Field(N_("Under warranty"), d("under_warranty")),
            Field(N_("Technician"), d("technician")), Field(N_("Status"), d("status")),
            Field(N_("Fault description"), d("fault"), wide=True, lines=3),
        )),
        Heading(N_("Repair")),
        Fields((
            Field(N_("Diagnosis"), d("diagnosis"), wide=True, lines=3),
            Field(N_("Parts"), d("parts"), wide=True, lines=2),
            Field(N_("Labour"), d("labour")), Field(N_("Cost"), d("cost")),
            Field(N_("Completed at"), d("completed_at")),
            Field(N_("Customer feedback score"), d("feedback_score")),
        )),
        signatures(N_("Technician"), (N_("Customer sign-off"), d("customer_signoff"))),
    )


def form(data):
    return Form(TITLE, data.get("number"), data.get("date"), rows(data))


def render(data, lang="zh", settings=None):
    return layout.build([form(data)], lang, settings)
