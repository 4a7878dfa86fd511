"""Sales records: they keep the customer's deal dates and class current.

After a sale is created, edited (its old and its new customer) or deleted,
the customers concerned are reclassified (services.classification). That runs
once the sale's own transaction has committed: the new row must be saved
before its customer's totals can include it, and the base view saves last
inside its transaction. Should the recomputation fail, the sale stays saved,
the user is told, and the list action or ``flask reclassify`` repairs it.
"""
from flask import flash
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext as admin_lazy_gettext
from flask_babel import gettext as _

import models as M
from domain import clock
from services.classification import on_sales_changed

from .base import BaseView
from .dashboard_links import FigureFilter


class SaleView(BaseView):
    column_list = ("customer", "sold_on", "product", "quantity", "amount", "visit")
    column_searchable_list = ("product", M.Customer.name)
    column_filters = ("sold_on", "amount", "product", FigureFilter("sale"))
    column_default_sort = ("sold_on", True)

    def create_model(self, form):
        record = super().create_model(form)
        if record:
            self._reclassify([record.customer_id])
        return record

    def update_model(self, form, model):
        before = model.customer_id
        saved = super().update_model(form, model)  # also the list's inline edit
        if saved:
            self._reclassify([before, model.customer_id])
        return saved

    def delete_model(self, model):
        deleted = super().delete_model(model)
        if deleted:
            self._reclassify([model.customer_id])
        return deleted

    @action("delete", admin_lazy_gettext("Delete"),
            admin_lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids):
        """The base view's bulk delete, then the customers of the deleted sales."""
        wanted = [int(i) for i in ids if str(i).isdigit()]
        customers = {cid for (cid,) in self.scoped(M.Sale.select(M.Sale.customer))
                     .where(M.Sale.id.in_(wanted)).tuples()}
        super().action_delete(ids)
        gone = not M.Sale.select().where(M.Sale.id.in_(wanted)).exists()
        if customers and gone:
            self._reclassify(customers)

    def _reclassify(self, customer_ids):
        try:
            on_sales_changed(sorted(set(customer_ids)), today=clock.today())
        except Exception as ex:  # noqa: BLE001 — the sale is committed; say so (raised in tests)
            if not self.handle_view_exception(ex):
                flash(_("The customer's class and lifecycle could not be recomputed: "
                        "%(error)s", error=str(ex)), "error")
