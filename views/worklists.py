"""Work queues on the lists: the "Work queue" filter (overdue, due today,
escalated, mine, my department, escalated to me) and the "My work" menu
entries that open a list with it set — so each role starts the day from its
own list. The conditions are domain/worklists.py's."""
from flask import current_app, url_for
from flask_admin.contrib.peewee import filters as pf
from flask_admin.menu import MenuLink
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from domain import access
from domain.clock import now
from domain.i18n import N_
from domain.worklists import MODELS, ONLY_ON, QUEUES, condition

OFFICE = ("owner", "manager", "specialist")
EVERYONE = OFFICE + ("staff",)
MY_WORK = N_("My work")

# (menu label, register, queue, roles that see the entry)
MENU = (
    (N_("My complaints"), "complaint", "mine", OFFICE),
    (N_("My department's complaints"), "complaint", "my_department", ("staff",)),
    (N_("My department's problems"), "visit_issue", "my_department", ("staff",)),
    (N_("Complaints escalated to me"), "complaint", "escalated_to_me", EVERYONE),
    (N_("Problems escalated to me"), "visit_issue", "escalated_to_me", EVERYONE),
    (N_("Overdue complaints"), "complaint", "overdue", EVERYONE),
    (N_("Overdue visit problems"), "visit_issue", "overdue", EVERYONE),
    (N_("Overdue corrective actions"), "corrective_action", "overdue", EVERYONE),
    (N_("My corrective actions"), "corrective_action", "mine", EVERYONE),
    (N_("Recurrence checks due"), "complaint", "recheck_due", OFFICE),
    (N_("Problem follow-ups due"), "visit_issue", "follow_up_due", EVERYONE),
    (N_("My ad hoc visit requests"), "adhoc_request", "mine", EVERYONE),
    (N_("Ad hoc visits to approve"), "adhoc_request", "awaiting_approval",
     ("owner", "manager")),
    (N_("Surveys due"), "satisfaction_survey", "survey_due", OFFICE),
)

# Corrective actions have no escalation; ad hoc requests only wait for a decision.
CAPA_QUEUES = ("overdue", "due_today", "mine", "my_department")
REGISTER_QUEUES = {"corrective_action": CAPA_QUEUES,
                   "adhoc_request": ("mine", "awaiting_approval"),
                   "satisfaction_survey": ("survey_due",)}


class QueueFilter(pf.BasePeeweeFilter):
    """One filter, one option per queue; applied for the current user now."""

    def __init__(self, register):
        codes = REGISTER_QUEUES.get(register, dict(QUEUES))
        options = [(code, _l(label)) for code, label in QUEUES
                   if code in codes and ONLY_ON.get(code, register) == register]
        super().__init__(MODELS[register].id, _l("Work queue"), options=options)
        self.register = register

    def apply(self, query, value):
        if value not in dict(self.options):
            return query
        return query.where(condition(self.register, value, current_user, now()))

    def operation(self):
        return _l("is")


def queue_url(register, queue):
    """The list of ``register`` with the work-queue filter set to ``queue``."""
    view = next(v for v in current_app.extensions["customer_service_admin"]._views
                if getattr(v, "endpoint", None) == register)
    for i, flt in enumerate(view._filters or ()):
        if isinstance(flt, QueueFilter):
            return url_for(f"{register}.index_view",
                           **{f"flt0_{view.get_filter_arg(i, flt)}": queue})
    raise LookupError(f"{register} has no work-queue filter")


class QueueLink(MenuLink):
    def __init__(self, label, register, queue, roles):
        super().__init__(name=_l(label), category=_l(MY_WORK))
        self.register, self.queue, self.roles = register, queue, roles

    def get_url(self):
        return queue_url(self.register, self.queue)

    def is_accessible(self):
        return (current_user.is_authenticated and current_user.role in self.roles
                and access.may(current_user, "read", self.register))

    def is_visible(self):
        return self.is_accessible()


def menu_links():
    return [QueueLink(label, register, queue, roles) for label, register, queue, roles in MENU]
