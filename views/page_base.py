"""The base of admin pages that are not a register's list (backups, recently
deleted): the same role check as the registers, from domain.access.POLICIES."""
from flask import abort, redirect, request, url_for
from flask_admin import BaseView
from flask_login import current_user

from domain import access


class PolicyPage(BaseView):
    """Subclasses set ``endpoint``; reading needs the policy's read roles,
    each exposed action names the operation it needs with ``needs``."""

    def may(self, operation):
        return access.may(current_user, operation, self.endpoint)

    def is_accessible(self):
        return self.may("read")

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)

    def needs(self, operation):
        if not self.may(operation):
            abort(403)
