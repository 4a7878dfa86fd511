"""客户档案卡 — the customer card: the archive entry, contacts and equipment.

data: number (the customer code), date, code, name, nature, industry,
region, address, phone, email, owner, first_deal_on, last_deal_on,
annual_purchase, customer_class, is_key, tier, lifecycle, at_risk,
credit_rating, credit_limit, payment_terms, preferred_channel,
do_not_disturb, notes, contacts: [{name, position, department, phone,
email, is_decision_maker, is_primary}], equipment: [{model_name, serial_no,
purchased_on, warranty_until}].
"""
from domain.i18n import N_

from . import layout
from .data import Column, Field, Fields, Form, Heading, Table, text

TITLE = N_("Customer card")


def rows(data):
    d = data.get
    return (
        Fields((
            Field(N_("Name"), d("name"), wide=True),
            Field(N_("Code"), d("code")), Field(N_("Nature"), d("nature")),
            Field(N_("Industry"), d("industry")), Field(N_("Region"), d("region")),
            Field(N_("Address"), d("address"), wide=True),
            Field(N_("Phone"), d("phone")), Field(N_("Email"), d("email")),
            Field(N_("Responsible person"), d("owner")),
            Field(N_("Preferred channel"), d("preferred_channel")),
        )),
        Heading(N_("Business")),
        Fields((
            Field(N_("First deal date"), d("first_deal_on")),
            Field(N_("Last deal date"), d("last_deal_on")),
            Field(N_("Annual purchase amount"), d("annual_purchase")),
            Field(N_("Class"), d("customer_class")),
            Field(N_("Key customer"), d("is_key")), Field(N_("Tier"), d("tier")),
            Field(N_("Lifecycle"), d("lifecycle")), Field(N_("At risk"), d("at_risk")),
            Field(N_("Credit rating"), d("credit_rating")),
            Field(N_("Credit limit"), d("credit_limit")),
            Field(N_("Payment terms"), d("payment_terms")),
            Field(N_("Do not disturb"), d("do_not_disturb")),
            Field(N_("Notes"), d("notes"), wide=True, lines=2),
        )),
        Heading(N_("Contacts")),
        Table((Column(N_("Name"), 1.2), Column(N_("Position"), 1.2),
               Column(N_("Department"), 1, True), Column(N_("Phone"), 1.4),
               Column(N_("Email"), 2), Column(N_("Decision maker"), 0.9, True),
               Column(N_("Primary contact"), 0.9, True)),
              tuple((c.get("name"), c.get("position"), c.get("department"), c.get("phone"),
                     c.get("email"), c.get("is_decision_maker"), c.get("is_primary"))
                    for c in d("contacts") or ()),
              empty_rows=2),
        Heading(N_("Equipment")),
        Table((Column(N_("Product model"), 2), Column(N_("Serial / plate number"), 2),
               Column(N_("Purchased on"), 1, True), Column(N_("Warranty until"), 1, True)),
              tuple((e.get("model_name"), e.get("serial_no"), text(e.get("purchased_on")),
                     text(e.get("warranty_until"))) for e in d("equipment") or ()),
              empty_rows=2),
    )


def form(data):
    return Form(TITLE, data.get("number"), data.get("date"), rows(data))


def render(data, lang="zh", settings=None):
    return layout.build([form(data)], lang, settings)
