"""Build the Flask-Admin site: the home page and one view per register."""
from flask import redirect, request, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from domain import access
from domain.registers import QUEUES, REGISTERS, SETTINGS
from views import QUEUE_CLASSES, VIEW_CLASSES, dashboard, dashboard_files
from views.backups import BackupsView
from views.deleted import DeletedRecordsView
from views.escalate_actions import sweep_when_due
from views.worklists import menu_links

from . import security_headers


class HomeView(AdminIndexView):
    """The start page after login: the dashboard (views/dashboard.py) above
    the register tiles, and its downloads."""

    def is_accessible(self):
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    @expose("/")
    def index(self):
        sweep_when_due()
        registers = [r for r in REGISTERS if access.may(current_user, "read", r.endpoint)]
        return self.render("admin/home.html", registers=registers,
                           **dashboard.context(request.args, current_user))

    @expose("/dashboard/export/<table>/")
    def export_dashboard(self, table):
        return dashboard_files.export(table)

    @expose("/report/")
    def demand_report(self):
        return dashboard_files.report()


def init_app(app):
    admin = Admin(
        app,
        name=_l("Customer Service"),
        index_view=HomeView(name=_l("Home"), url="/admin", template="admin/home.html"),
        theme=Bootstrap4Theme(base_template="admin/app_base.html", swatch="flatly", fluid=True),
        csp_nonce_generator=security_headers.nonce,
    )
    for link in menu_links():  # first, so "My work" leads the menu
        admin.add_link(link)
    classes = {**VIEW_CLASSES, **QUEUE_CLASSES}
    for reg in QUEUES + REGISTERS:
        admin.add_view(classes[reg.endpoint](reg.model, name=_l(reg.label),
                                             endpoint=reg.endpoint, category=_l(reg.category)))
    settings = _l(SETTINGS)
    admin.add_view(DeletedRecordsView(name=_l("Recently deleted"), endpoint="deleted",
                                      category=settings))
    admin.add_view(BackupsView(name=_l("Backups"), endpoint="backups", category=settings))
    app.extensions["customer_service_admin"] = admin
    return admin
