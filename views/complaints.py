"""Complaints, their follow-ups, and corrective & preventive actions."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

import models as M
from domain.clock import now
from services.numbering import yearly_number

from .base import BaseView

AUTO_NUMBER = {"validators": [Optional()],
               "description": _l("Leave blank to number automatically")}


class ComplaintView(BaseView):
    column_list = ("number", "customer", "received_at", "channel", "category", "severity",
                   "department", "handler", "status", "close_due", "escalation_level")
    column_searchable_list = ("number", "description", "complainant", M.Customer.name)
    column_filters = ("status", "category", "severity", "channel", "department", "handler",
                      "received_at", "escalation_level", "customer_satisfied")
    column_default_sort = ("received_at", True)
    form_args = {"number": AUTO_NUMBER}

    def on_model_change(self, form, record, is_created):
        if not (record.number or "").strip():
            year = (record.received_at or now()).year
            record.number = yearly_number(M.Complaint.number, "TS", year)


class ComplaintFollowUpView(BaseView):
    column_list = ("complaint", "at", "by", "action", "result", "next_step")
    column_searchable_list = ("action", "result", M.Complaint.number)
    column_filters = ("at", "by")
    column_default_sort = ("at", True)


class CorrectiveActionView(BaseView):
    column_list = ("number", "source", "source_ref", "problem", "action_type",
                   "department", "owner", "due_on", "status")
    column_searchable_list = ("number", "problem", "source_ref")
    column_filters = ("source", "action_type", "department", "owner", "status", "due_on")
    form_args = {"number": AUTO_NUMBER}

    def on_model_change(self, form, record, is_created):
        if not (record.number or "").strip():
            record.number = yearly_number(M.CorrectiveAction.number, "CA", now().year)
