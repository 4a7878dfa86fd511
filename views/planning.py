"""Visit plans and their planned visits."""
import models as M

from .base import BaseView


class VisitPlanView(BaseView):
    column_list = ("name", "kind", "period_start", "period_end", "status",
                   "created_by", "approved_by", "approved_at")
    column_searchable_list = ("name",)
    column_filters = ("kind", "status", "period_start")
    column_default_sort = ("period_start", True)


class PlannedVisitView(BaseView):
    column_list = ("plan", "customer", "due_on", "channel", "focus", "assignee", "status")
    column_searchable_list = (M.Customer.name,)
    column_filters = ("status", "channel", "focus", "assignee", "due_on")
    column_default_sort = ("due_on", False)
