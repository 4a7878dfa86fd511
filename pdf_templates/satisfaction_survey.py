"""顾客满意度调查表 — the satisfaction survey (also printed blank): the six
indicators of the after-sales procedure, each with tick boxes 1-5.

data: number, date, customer, customer_code, period, respondent_department,
method (Msg), sent_at, returned_at, scores: {indicator key: 1-5}, overall,
expectations, complaints. Indicator keys: INDICATORS below.
"""
from domain import choices
from domain.i18n import N_

from . import layout
from .data import Field, Fields, Form, Note, Scores, options, signatures

TITLE = N_("Customer satisfaction survey")
# (key, label, what the customer rates) — from the after-sales procedure.
INDICATORS = (
    ("design", N_("Design"),
     N_("How well the design meets your special requirements; documents and samples; "
        "design and structure optimisation")),
    ("quality", N_("Product quality"),
     N_("Dimensions, internal defects, materials and surface finish as specified; "
        "continuous improvement")),
    ("delivery", N_("Delivery"),
     N_("Delivery dates, correct quantities, packaging as required")),
    ("service", N_("Service & communication"),
     N_("Speed of response to requests and complaints, cooperation, communication "
        "and attitude of our staff, handling of urgent requests")),
    ("price", N_("Price"), N_("Whether our prices are reasonable")),
    ("competitors", N_("Compared with competitors"),
     N_("How we compare with other suppliers you use")),
)


def rows(data):
    d = data.get
    scores = d("scores") or {}
    return (
        Note(N_("Please tick one box for each aspect. Your answers help us improve.")),
        Fields((
            Field(N_("Customer"), d("customer")), Field(N_("Code"), d("customer_code")),
            Field(N_("Period"), d("period")),
            Field(N_("Respondent department"), d("respondent_department")),
            Field(N_("Method"), d("method") or options(choices.SURVEY_METHOD), wide=not data),
            Field(N_("Sent at"), d("sent_at")), Field(N_("Returned at"), d("returned_at")),
        )),
        Scores(tuple((label, hint, scores.get(key)) for key, label, hint in INDICATORS)),
        Fields((
            Field(N_("Overall"), d("overall"), wide=True),
            Field(N_("Expectations"), d("expectations"), wide=True, lines=4),
            Field(N_("Complaints and dissatisfaction"), d("complaints"), wide=True, lines=4),
        )),
        signatures(N_("Filled in by")),
    )


def form(data):
    return Form(TITLE, data.get("number"), data.get("date"), rows(data))


def render(data, lang="zh", settings=None):
    return layout.build([form(data)], lang, settings)
