"""Customer archive and the registers that hang off a customer."""
from flask_login import current_user
from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

import models as M
from domain import access
from domain.clock import now
from services.numbering import customer_code, yearly_number

from .base import BaseView
from .classify_actions import ReclassifyActionMixin
from .customer_actions import CustomerActionsMixin
from .printing import PrintMixin
from .surveys import DemandFromSurveyMixin


class CustomerView(PrintMixin, ReclassifyActionMixin, CustomerActionsMixin, BaseView):
    column_list = ("code", "name", "nature", "industry", "region", "phone", "owner",
                   "customer_class", "is_key", "tier", "lifecycle", "at_risk", "last_deal_on")
    column_searchable_list = ("name", "code", "phone", "region")
    column_filters = ("customer_class", "nature", "industry", "tier", "lifecycle", "is_key",
                      "at_risk", "do_not_disturb", "owner", "region", "last_deal_on")
    column_default_sort = ("code", False)
    form_excluded_columns = BaseView.form_excluded_columns + ("lifecycle", "at_risk", "is_key")
    form_args = {"code": {"validators": [Optional()],
                          "description": _l("Leave blank to number automatically")}}
    print_forms = ("customer_card",)

    # A manager's calls: the strategic mark and a locked class override.
    MANAGEMENT_FIELDS = ("is_strategic", "class_locked", "customer_class")

    def _limit_fields(self, form):
        if current_user.role not in access.MANAGEMENT:
            for name in self.MANAGEMENT_FIELDS:
                if name in form:
                    del form[name]  # not shown and never populated
        return form

    def create_form(self, obj=None):
        return self._limit_fields(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._limit_fields(super().edit_form(obj))

    def on_model_change(self, form, record, is_created):
        record.code = (record.code or "").strip() or customer_code(M.Customer.code)
        # A specialist's new customer is theirs unless they name another owner.
        if is_created and record.owner_id is None and current_user.role == "specialist":
            record.owner = current_user.id
        record.is_key = record.customer_class == "A" or bool(record.is_strategic)


class ContactView(BaseView):
    column_list = ("customer", "name", "position", "department", "phone", "email",
                   "is_decision_maker", "is_primary")
    column_searchable_list = ("name", "phone", M.Customer.name)
    column_filters = ("department", "is_decision_maker", "is_primary", "birthday")


class EquipmentView(BaseView):
    column_list = ("customer", "model_name", "serial_no", "purchased_on", "warranty_until")
    column_searchable_list = ("model_name", "serial_no", M.Customer.name)
    column_filters = ("model_name", "purchased_on", "warranty_until")


class RepairOrderView(PrintMixin, BaseView):
    column_list = ("number", "customer", "equipment", "received_at", "under_warranty",
                   "technician", "status", "cost", "completed_at")
    column_searchable_list = ("number", "fault", M.Customer.name)
    column_filters = ("status", "under_warranty", "technician", "received_at", "completed_at")
    column_default_sort = ("received_at", True)
    form_args = {"number": {"validators": [Optional()],
                            "description": _l("Leave blank to number automatically")}}
    print_forms = ("repair_report",)

    def on_model_change(self, form, record, is_created):
        if not (record.number or "").strip():
            record.number = yearly_number(M.RepairOrder.number, "WX", now().year)


class InteractionView(BaseView):
    column_list = ("customer", "at", "direction", "channel", "staff", "summary")
    column_searchable_list = ("summary", M.Customer.name)
    column_filters = ("direction", "channel", "staff", "at")
    column_default_sort = ("at", True)


class DemandView(DemandFromSurveyMixin, BaseView):
    column_list = ("customer", "raised_on", "source", "kind", "description",
                   "forwarded_to", "status", "expected_value")
    column_searchable_list = ("description", M.Customer.name)
    column_filters = ("source", "kind", "forwarded_to", "status", "raised_on")
    column_default_sort = ("raised_on", True)
