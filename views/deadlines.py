"""List and detail formatters for deadlines: the time left, or how long
overdue (red, and the row is tinted by app_base.html's CSS), or met."""
from flask_babel import gettext as _
from markupsafe import Markup, escape

from domain.clock import now
from domain.issues import remaining


def deadline_formatter(done_field, finished):
    """A formatter for a ``*_due`` column whose deadline is met once
    ``done_field`` is set, and no longer matters in ``finished`` statuses."""
    def formatter(view, context, model, name):
        due = getattr(model, name)
        if due is None:
            return ""
        text = f"{due:%m-%d %H:%M}"
        done = getattr(model, done_field, None) if done_field else None
        if done is not None:
            mark = "✓" if done <= due else "✗"
            css = "text-success" if done <= due else "text-danger"
            return Markup(f'<span class="{css}" title="{escape(_("Done at %(at)s", at=f"{done:%Y-%m-%d %H:%M}"))}">'
                          f'{escape(text)} {mark}</span>')
        if model.status in finished:
            return text
        overdue, days, hours = remaining(due, now())
        if overdue:
            note = _("overdue by %(days)d d %(hours)d h", days=days, hours=hours)
            return Markup(f'<span class="text-danger overdue">{escape(text)}<br>'
                          f'<small>{escape(note)}</small></span>')
        note = _("%(days)d d %(hours)d h left", days=days, hours=hours)
        return Markup(f'{escape(text)}<br><small class="text-muted">{escape(note)}</small>')
    return formatter


def date_due_formatter(finished):
    """For a date-only due column (corrective actions): red when past."""
    def formatter(view, context, model, name):
        due = getattr(model, name)
        if due is None:
            return ""
        if model.status not in finished and due < now().date():
            return Markup(f'<span class="text-danger overdue">{escape(f"{due:%Y-%m-%d}")} · '
                          f'{escape(_("overdue"))}</span>')
        return f"{due:%Y-%m-%d}"
    return formatter
