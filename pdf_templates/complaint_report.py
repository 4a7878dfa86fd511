"""投诉处理报告表 — the complaint handling report, with its follow-up timeline.

data: the keys of complaint_registration plus status, escalation_level,
escalated_at, escalation_reason, the deadlines and their completion
(contact_due/contacted_at, response_due/responded_at, plan_due/planned_at,
close_due/closed_at), root_cause_category, root_cause, responsibility,
solution, compensation, customer_satisfied (bool/None), customer_score,
complainant_contact (name and phone), target_kind (Msg), target, promised_due, recheck_on and
follow_ups: [{at, by, step (Msg), action, result, next_step,
customer_satisfied, customer_score}] in time order — tracking notes
(recurrence checks after closing) among them.
"""
from domain.i18n import N_

from . import layout
from .data import Column, Field, Fields, Form, Heading, Table, signatures, steps, text

TITLE = N_("Complaint handling report")


def verdict(follow_up):
    """The customer's verdict a follow-up recorded: "✓ 5", "✗ 2" or empty."""
    satisfied = follow_up.get("customer_satisfied")
    if satisfied is None:
        return ""
    return f"{'✓' if satisfied else '✗'} {text(follow_up.get('customer_score'))}".strip()


def timeline(follow_ups, verdicts=True):
    """The follow-up table; ``verdicts``: with the customer's verdict column."""
    columns = (Column(N_("No."), 0.5, True), Column(N_("At"), 1.5, True), Column(N_("By"), 1),
               Column(N_("Step"), 1.3), Column(N_("Measure taken"), 2.2),
               Column(N_("Result"), 1.6), Column(N_("Next step"), 1.3))
    rows = tuple((str(i), text(f.get("at")), f.get("by"), f.get("step"), f.get("action"),
                  f.get("result"), f.get("next_step")) for i, f in enumerate(follow_ups or (), 1))
    if verdicts:
        columns += (Column(N_("Score"), 0.6, True),)
        rows = tuple(r + (verdict(f),) for r, f in zip(rows, follow_ups or ()))
    return Table(columns, rows, empty_rows=3, small=True)


def rows(data):
    d = data.get
    return (
        Fields((
            Field(N_("Customer"), d("customer")),
            Field(N_("Complainant"), d("complainant_contact") or d("complainant")),
            Field(N_("Received at"), d("received_at")), Field(N_("Channel"), d("channel")),
            Field(N_("Complaint target"), d("target_kind")), Field(N_("Target"), d("target")),
            Field(N_("Category"), d("category")), Field(N_("Severity"), d("severity")),
            Field(N_("Responsible department"), d("department")),
            Field(N_("Handler"), d("handler")),
            Field(N_("Status"), d("status")), Field(N_("Escalation level"), d("escalation_level")),
            Field(N_("Description"), d("description"), wide=True, lines=3),
        ), cols=3),
        Heading(N_("Deadlines")),
        steps(((N_("Contact the customer"), d("contact_due"), d("contacted_at")),
               (N_("Respond"), d("response_due"), d("responded_at")),
               (N_("Handling plan"), d("plan_due"), d("planned_at")),
               (N_("Close"), d("close_due"), d("closed_at")),
               (N_("Promised to the customer by"), d("promised_due"), d("closed_at")))),
        Heading(N_("Investigation")),
        Fields((
            Field(N_("Root-cause category"), d("root_cause_category")),
            Field(N_("Responsibility"), d("responsibility")),
            Field(N_("Root cause"), d("root_cause"), wide=True, lines=2),
            Field(N_("Solution"), d("solution"), wide=True, lines=2),
            Field(N_("Compensation"), d("compensation"), wide=True),
        )),
        Heading(N_("Follow-up record")),
        timeline(d("follow_ups")),
        Heading(N_("Customer's verdict")),
        Fields((
            Field(N_("Customer satisfied"), d("customer_satisfied")),
            Field(N_("Customer score"), d("customer_score")),
            Field(N_("Escalated at"), d("escalated_at")),
            Field(N_("Escalation reason"), d("escalation_reason")),
        )),
        signatures(N_("Handler"), N_("Department head"), N_("Customer confirmation")),
    )


def form(data):
    return Form(TITLE, data.get("number"), data.get("date"), rows(data))


def render(data, lang="zh", settings=None):
    return layout.build([form(data)], lang, settings)
