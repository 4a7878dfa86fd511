"""客户回访记录表 — the visit record form: filled in from a visit, or
pre-filled from a planned visit (customer, date, channel, purpose) and
completed by hand.

data: customer, customer_code, contact_person, phone, address, visited_at,
channel (Msg), staff, purpose, feedback_stability, feedback_accuracy,
feedback_delivery, feedback_after_sales, suggestion_price,
suggestion_support, satisfaction (1-5), new_demands, follow_up_needed
(bool/None), issues: [{description, level, status}]; number, date;
appointment_at (a planned onsite visit's booked time, 000 §11).
"""
from domain.i18n import N_

from . import layout
from .data import (Column, Field, Fields, Form, Heading, Msg, Options, Scores, Table,
                   signatures)

TITLE = N_("Customer visit record form")
YES_NO = Options((Msg(N_("Yes")), Msg(N_("No"))))


def rows(data):
    d = data.get
    follow_up = d("follow_up_needed")
    return (
        Fields((
            Field(N_("Customer"), d("customer")), Field(N_("Code"), d("customer_code")),
            Field(N_("Contact person"), d("contact_person")), Field(N_("Phone"), d("phone")),
            Field(N_("Address"), d("address"), wide=True),
            Field(N_("Visited at"), d("visited_at")), Field(N_("Channel"), d("channel")),
            Field(N_("Staff"), d("staff")), Field(N_("Purpose"), d("purpose")),
            *((Field(N_("Appointment"), d("appointment_at"), wide=True),)
              if d("appointment_at") else ()),
        )),
        Heading(N_("Product feedback")),
        Fields((Field(N_("Product stability"), d("feedback_stability"), wide=True, lines=2),
                Field(N_("Product accuracy"), d("feedback_accuracy"), wide=True, lines=2))),
        Heading(N_("Service feedback")),
        Fields((Field(N_("Delivery time"), d("feedback_delivery"), wide=True, lines=2),
                Field(N_("After-sales response"), d("feedback_after_sales"), wide=True, lines=2))),
        Heading(N_("Suggestions")),
        Fields((Field(N_("Price suggestions"), d("suggestion_price"), wide=True, lines=2),
                Field(N_("Technical support suggestions"), d("suggestion_support"), wide=True,
                      lines=2))),
        Scores(((N_("Satisfaction"), N_("Overall satisfaction with our products and service"),
                 d("satisfaction")),)),
        Fields((Field(N_("New demands"), d("new_demands"), wide=True, lines=2),
                Field(N_("Follow-up needed"), YES_NO if follow_up is None else follow_up,
                      wide=True))),
        Heading(N_("Problems found")),
        Table((Column(N_("No."), 0.5, True), Column(N_("Description"), 5),
               Column(N_("Level"), 1, True), Column(N_("Status"), 1, True)),
              tuple((str(i), p.get("description"), p.get("level"), p.get("status"))
                    for i, p in enumerate(d("issues") or (), 1)),
              empty_rows=3),
        signatures(N_("Visited by"), N_("Customer signature")),
    )


def form(data):
    return Form(TITLE, data.get("number"), data.get("date"), rows(data))


def render(data, lang="zh", settings=None):
    return layout.build([form(data)], lang, settings)
