"""The reminders at the top of the managers' dashboard: plans due (000 §9,
domain.plan_reminders). Each links to the screen that does the work."""
from flask import url_for
from flask_babel import gettext as _

from domain import access
from domain.plan_reminders import plan_reminders
from services.planning import reminder_facts


def reminders(user, today, rules):
    """[(text, overdue, url)] for ``user`` (managers and the owner only)."""
    if user.role not in access.MANAGEMENT:
        return []
    status, quarters = reminder_facts(today)
    out = []
    for r in plan_reminders(today, rules, next_annual_status=status, adjusted_quarters=quarters):
        url = (url_for("visit_plan.adjust_view") if r.code == "quarterly"
               else url_for("visit_plan.index_view"))
        out.append((_(r.msgid, **r.params), r.overdue, url))
    return out
