"""One admin view class per register endpoint."""
from .complaints import ComplaintFollowUpView, ComplaintView, CorrectiveActionView
from .customers import (ContactView, CustomerView, DemandView, EquipmentView,
                        InteractionView, RepairOrderView)
from .follow_up import CareEventView, VisitIssueView, VisitView
from .adhoc_requests import AdhocRequestView
from .planning import MyVisitsView, PlannedVisitView, VisitPlanView
from .sales import SaleView
from .surveys import SatisfactionSurveyView
from .settings import AuditLogView, HolidayView, RuleView, UserView

VIEW_CLASSES = {
    "customer": CustomerView,
    "contact": ContactView,
    "sale": SaleView,
    "equipment": EquipmentView,
    "repair_order": RepairOrderView,
    "interaction": InteractionView,
    "demand": DemandView,
    "visit_plan": VisitPlanView,
    "planned_visit": PlannedVisitView,
    "adhoc_request": AdhocRequestView,
    "visit": VisitView,
    "visit_issue": VisitIssueView,
    "care_event": CareEventView,
    "satisfaction_survey": SatisfactionSurveyView,
    "complaint": ComplaintView,
    "complaint_follow_up": ComplaintFollowUpView,
    "corrective_action": CorrectiveActionView,
    "rule": RuleView,
    "holiday": HolidayView,
    "user": UserView,
    "audit_log": AuditLogView,
}

# Work queues: filtered views over a register, each with its own menu entry.
QUEUE_CLASSES = {
    "my_visit": MyVisitsView,
}
