"""Flash messages shared by the views: domain errors and warnings (a msgid
with params, see domain.i18n.TranslatableError) in the user's language."""
from collections import Counter

from flask import flash
from flask_babel import gettext as _

from domain.calendar import missing_schedule_warning
from domain.i18n import N_

# An action posted with no id the user may see (or none at all).
NOTHING_VISIBLE = N_("None of the selected records is visible to you: nothing was changed.")


def translated(message):
    """``message`` (anything with msgid/params) in the user's language."""
    return _(message.msgid, **message.params) if message.params else _(message.msgid)


def flash_schedule_warning(years):
    """Warn when a plan or deadline touched years with no holidays on record."""
    warning = missing_schedule_warning(years)
    if warning:
        flash(translated(warning), "warning")


def flash_plan_result(name, result):
    """What a plan (re)generation did (services.planning.Result)."""
    if getattr(result, "adjusted", False):
        flash(_("%(plan)s adjusted: %(added)d added, %(kept)d kept, %(restored)d restored, "
                "%(cancelled)d cancelled, %(moved)d moved.", plan=name, added=result.added,
                kept=result.kept, restored=result.restored, cancelled=result.cancelled,
                moved=result.moved), "success")
    else:
        flash(_("%(plan)s: %(added)d added, %(kept)d kept, %(restored)d restored, "
                "%(cancelled)d cancelled.", plan=name, added=result.added, kept=result.kept,
                restored=result.restored, cancelled=result.cancelled), "success")
    if getattr(result, "skipped", 0):
        flash(_("%(num)d do-not-disturb customers left out.", num=result.skipped), "info")
    for other, count in sorted(getattr(result, "left_out", {}).items()):
        flash(_("%(num)d visits left out: the plan %(plan)s already holds them.",
                num=count, plan=other), "warning")
    flash_schedule_warning(result.missing_years)


def flash_refusals(refused):
    """One line per distinct reason: "3 refused: <reason>". ``refused`` is
    [(id, TranslatableError)], rows the user may not see among them (the
    services refuse those as not found)."""
    reasons = Counter(translated(ex) for _id, ex in refused)
    for reason, n in reasons.items():
        flash(_("%(num)d refused: %(reason)s", num=n, reason=reason), "error")
