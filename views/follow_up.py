"""Visit records, visit problems, customer care, satisfaction surveys."""
from decimal import Decimal

import models as M

from .base import BaseView


class VisitView(BaseView):
    column_list = ("customer", "visited_at", "channel", "staff", "contact_person",
                   "purpose", "satisfaction", "follow_up_needed")
    column_searchable_list = ("purpose", "contact_person", M.Customer.name)
    column_filters = ("channel", "staff", "satisfaction", "follow_up_needed", "visited_at")
    column_default_sort = ("visited_at", True)


class VisitIssueView(BaseView):
    column_list = ("customer", "description", "category", "level", "department",
                   "assignee", "raised_at", "resolve_due", "status", "escalation_level")
    column_searchable_list = ("description", M.Customer.name)
    column_filters = ("status", "level", "category", "department", "assignee",
                      "raised_at", "escalation_level")
    column_default_sort = ("raised_at", True)


class CareEventView(BaseView):
    column_list = ("customer", "contact", "kind", "scheduled_for", "done_at", "channel")
    column_searchable_list = ("notes", M.Customer.name)
    column_filters = ("kind", "channel", "scheduled_for", "done_at")
    column_default_sort = ("scheduled_for", False)


class SatisfactionSurveyView(BaseView):
    column_list = ("customer", "period", "method", "sent_at", "returned_at",
                   "score_quality", "score_service", "overall")
    column_searchable_list = ("period", M.Customer.name)
    column_filters = ("period", "method", "overall", "returned_at")
    column_default_sort = ("period", True)
    form_excluded_columns = BaseView.form_excluded_columns + ("overall",)

    def on_model_change(self, form, record, is_created):
        # Overall is the mean of the indicators the customer scored.
        scores = [getattr(record, f) for f in M.SatisfactionSurvey.SCORE_FIELDS]
        scores = [int(s) for s in scores if s not in (None, "")]
        record.overall = (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01")) if scores else None
