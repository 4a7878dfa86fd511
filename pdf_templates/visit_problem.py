"""回访问题闭环报告 — a visit problem from raising to the customer's confirmation.

data: number, date, customer, visit, raised_at, category, level, department
(Msg), assignee, status (Msg), is_complex (bool), description, the deadlines
and their completion (dispatch_due/dispatched_at, response_due/responded_at,
resolve_due/resolved_at, confirmed_at), solution, next_follow_up_on,
escalation_level, escalated_at, escalation_reason, level_reason,
customer_evaluation (1-5) and follow_ups: [{at, by, step (Msg), action,
result, next_step}] in time order (the follow-up log).
"""
from domain.i18n import N_

from . import layout
from .complaint_report import timeline
from .data import Field, Fields, Form, Heading, signatures, steps

TITLE = N_("Visit problem closed-loop report")


def rows(data):
    d = data.get
    return (
        Fields((
            Field(N_("Customer"), d("customer")), Field(N_("Visit"), d("visit")),
            Field(N_("Raised at"), d("raised_at")), Field(N_("Category"), d("category")),
            Field(N_("Level"), d("level")), Field(N_("Complex"), d("is_complex")),
            Field(N_("Responsible department"), d("department")),
            Field(N_("Assignee"), d("assignee")),
            Field(N_("Status"), d("status")), Field(N_("Escalation level"), d("escalation_level")),
            Field(N_("Description"), d("description"), wide=True, lines=3),
        )),
        Heading(N_("Closed loop")),
        steps(((N_("Dispatch"), d("dispatch_due"), d("dispatched_at")),
               (N_("Respond"), d("response_due"), d("responded_at")),
               (N_("Resolve"), d("resolve_due"), d("resolved_at")),
               (N_("Customer confirmed"), None, d("confirmed_at")))),
        Fields((
            Field(N_("Solution"), d("solution"), wide=True, lines=3),
            Field(N_("Customer's evaluation"), d("customer_evaluation")),
            Field(N_("Next follow-up date"), d("next_follow_up_on")),
            Field(N_("Escalated at"), d("escalated_at")),
            Field(N_("Escalation reason"), d("escalation_reason"), wide=True),
            Field(N_("Reason for the level change"), d("level_reason"), wide=True),
        )),
        Heading(N_("Follow-up log")),
        timeline(d("follow_ups"), verdicts=False),
        signatures(N_("Handled by"), N_("Customer confirmation")),
    )


def form(data):
    return Form(TITLE, data.get("number"), data.get("date"), rows(data))


def render(data, lang="zh", settings=None):
    return layout.build([form(data)], lang, settings)
