"""Helpers for list actions that need more than the selected ids: the action
redirects to a small form page carrying the ids and the list's own query
(filters, search), so "all rows matching this filter" stays possible."""
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import redirect, request, url_for
from flask_admin.helpers import get_redirect_target

from . import params


def to_form_page(view, endpoint, ids, **extra):
    """Redirect from an action to ``endpoint`` with the ids and the list query
    (and ``extra`` query arguments, e.g. which step)."""
    list_url = get_redirect_target() or view.get_url(".index_view")
    args = [(k, v) for k, v in parse_qsl(urlsplit(list_url).query)
            if k != "ids" and k not in extra]
    args += sorted(extra.items())
    args.append(("ids", ",".join(str(i) for i in ids)))
    args.append(("url", list_url))
    return redirect(url_for(f".{endpoint}") + "?" + urlencode(args))


def selected_ids():
    """The ids the action page carries (``ids=1,2,3``); 400 for anything
    that is not a list of record ids."""
    return params.id_list(request.values.get("ids", ""))


def return_url(view):
    return get_redirect_target() or view.get_url(".index_view")


def matching_count(view):
    """How many rows of the view's list match the current query string."""
    args = view._get_list_extra_args()
    count, _rows = view.get_list(0, None, False, args.search, args.filters, page_size=1)
    return count


def matching_ids(view):
    """Ids of every row of the view's list matching the filters and search in
    the current request's query string (scoped to the user)."""
    args = view._get_list_extra_args()
    _count, rows = view.get_list(0, None, False, args.search, args.filters, execute=False,
                                 page_size=0)
    return [r.id for r in rows.select(view.model.id).order_by(view.model.id)]


def filtered_list_url(endpoint, column, value):
    """The list URL of ``endpoint`` filtered on ``column == value``."""
    from flask import current_app
    view = next(v for v in current_app.extensions["customer_service_admin"]._views
                if getattr(v, "endpoint", None) == endpoint)
    for i, flt in enumerate(view._filters or ()):
        if getattr(flt, "column", None) is column and type(flt).__name__ == "FilterEqual":
            return url_for(f"{endpoint}.index_view", **{f"flt0_{view.get_filter_arg(i, flt)}": value})
    return url_for(f"{endpoint}.index_view")
