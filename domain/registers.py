"""The registers of SPEC.md: endpoint, model, label and menu category, in menu order."""
from collections import namedtuple

import models as M
from .i18n import N_

Register = namedtuple("Register", "endpoint model label category")

CUSTOMERS = N_("Customers")
FOLLOW_UP = N_("Follow-up")
COMPLAINTS = N_("Complaints & quality")
SETTINGS = N_("Settings")

REGISTERS = (
    Register("customer", M.Customer, N_("Customer archive"), CUSTOMERS),
    Register("contact", M.Contact, N_("Contacts"), CUSTOMERS),
    Register("sale", M.Sale, N_("Sales records"), CUSTOMERS),
    Register("equipment", M.Equipment, N_("Equipment"), CUSTOMERS),
    Register("repair_order", M.RepairOrder, N_("Repair orders"), CUSTOMERS),
    Register("interaction", M.Interaction, N_("Contact log"), CUSTOMERS),
    Register("demand", M.Demand, N_("Demands"), CUSTOMERS),
    Register("visit_plan", M.VisitPlan, N_("Visit plans"), FOLLOW_UP),
    Register("planned_visit", M.PlannedVisit, N_("Planned visits"), FOLLOW_UP),
    Register("adhoc_request", M.AdhocRequest, N_("Ad hoc visit requests"), FOLLOW_UP),
    Register("visit", M.Visit, N_("Visit records"), FOLLOW_UP),
    Register("visit_issue", M.VisitIssue, N_("Visit problems"), FOLLOW_UP),
    Register("care_event", M.CareEvent, N_("Customer care"), FOLLOW_UP),
    Register("satisfaction_survey", M.SatisfactionSurvey, N_("Satisfaction surveys"), FOLLOW_UP),
    Register("complaint", M.Complaint, N_("Complaints"), COMPLAINTS),
    Register("complaint_follow_up", M.ComplaintFollowUp, N_("Complaint follow-ups"), COMPLAINTS),
    Register("corrective_action", M.CorrectiveAction, N_("Corrective & preventive actions"), COMPLAINTS),
    Register("rule", M.Rule, N_("Rules"), SETTINGS),
    Register("holiday", M.Holiday, N_("Holidays"), SETTINGS),
    Register("user", M.User, N_("Users"), SETTINGS),
    Register("audit_log", M.AuditLog, N_("Audit log"), SETTINGS),
)

# Work queues: a register seen through one person's day (not registers themselves).
QUEUES = (
    Register("my_visit", M.PlannedVisit, N_("My visits"), FOLLOW_UP),
)

_BY_MODEL = {r.model: r for r in REGISTERS}


def register_label(model):
    reg = _BY_MODEL.get(model)
    return reg.label if reg else model.__name__
