"""Opening a corrective/preventive action from a complaint, a visit problem
or a survey: a list action and a details-page button for managers, leading
to the corrective-action form filled in from the source (domain.capa.prefill)."""
from flask import flash, redirect, url_for
from flask_admin.actions import action
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from domain import access
from domain.capa import OPENING_ROLES


class CapaSourceMixin:
    """For BaseView subclasses; ``capa_source`` is the source kind
    ("complaint", "visit_issue" or "survey")."""
    capa_source = None

    def can_open_capa(self):
        return (current_user.role in OPENING_ROLES
                and access.may(current_user, "write", "corrective_action"))

    def capa_url(self, record_id):
        return url_for("corrective_action.create_view", source=self.capa_source,
                       ref=record_id)

    def is_action_allowed(self, name):
        if name == "open_capa":
            return self.can_open_capa()
        return super().is_action_allowed(name)

    @action("open_capa", _l("Open a corrective action"))
    def action_open_capa(self, ids):
        if not self.can_open_capa():
            return None
        if len(ids) != 1:
            flash(_("Select one record to open a corrective action from."), "error")
            return None
        return redirect(self.capa_url(ids[0]))
