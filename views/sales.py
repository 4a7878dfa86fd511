"""Sales records: they keep the customer's deal dates and class current."""
import models as M

from .base import BaseView


class SaleView(BaseView):
    column_list = ("customer", "sold_on", "product", "quantity", "amount", "visit")
    column_searchable_list = ("product", M.Customer.name)
    column_filters = ("sold_on", "amount", "product")
    column_default_sort = ("sold_on", True)
