"""The rows of a list page, drawn in Python (issue 14).

Flask-Admin draws each row through nested Jinja blocks and one macro call per
row action (view, edit, delete), translating the same titles and building the
same URLs again on every row: on a 20-row page that was most of the page's
time and, with its indentation, most of its bytes. Here the parts every row
shares (titles, URL patterns, the delete form with its token) are made once per
page and each row only fills in its id and its values. The markup is what
Flask-Admin's template writes, without the white space. A view whose row
actions are not the standard ones keeps Flask-Admin's template (``None``).
"""
from flask import g
from flask_admin.babel import gettext as admin_gettext
from flask_admin.helpers import get_url
from flask_admin.model.template import DeleteRowAction, EditRowAction, ViewRowAction
from jinja2 import pass_context
from markupsafe import Markup, escape

from .sheet_cells import cell_html

ID = "__row_id__"
FAST_ACTIONS = (ViewRowAction, EditRowAction, DeleteRowAction)


class _Page:
    """What every row of one page shares."""

    def __init__(self, view, context, row_actions):
        return_url = context.get("return_url")
        csrf = context.get("csrf_token")
        token = csrf() if callable(csrf) else ""
        parts, self.delete_form = [], ""
        for action in row_actions:
            if type(action) is ViewRowAction:
                url = get_url(".details_view", id=ID, url=return_url)
                parts.append(_icon(url, admin_gettext("View Record"), "fa-eye",
                                   "glyphicon-eye-open"))
            elif type(action) is EditRowAction:
                url = get_url(".edit_view", id=ID, url=return_url)
                parts.append(_icon(url, admin_gettext("Edit Record"), "fa-pencil",
                                   "glyphicon-pencil"))
            else:  # the page's one delete form (delete_form_html), sent with this row's id
                parts.append(
                    f'<button type="submit" form="row-delete" name="id" value="{ID}" '
                    f'class="btn btn-link p-0 icon" '
                    f'title="{escape(admin_gettext("Delete Record"))}">'
                    '<span class="fa fa-trash glyphicon glyphicon-trash"></span></button>')
                self.delete_form = (
                    f'<form id="row-delete" class="d-none" method="POST" '
                    f'action="{escape(get_url(".delete_view"))}" data-confirm="'
                    f'{escape(admin_gettext("Are you sure you want to delete this record?"))}">'
                    f'<input name="url" type="hidden" value="{escape(return_url or "")}">'
                    f'<input type="hidden" name="csrf_token" value="{escape(token)}"></form>')
        self.actions = "".join(parts)
        self.checkbox = (f'<td><input type="checkbox" name="rowid" class="action-checkbox" '
                         f'value="{ID}" title="{escape(admin_gettext("Select record"))}"></td>'
                         if context.get("actions") else "")
        self.show_actions = bool(view.column_display_actions)
        self.editable = set(view.editable_columns())


def _icon(url, title, fa, glyph):
    return (f'<a class="icon" href="{escape(url)}" title="{escape(title)}">'
            f'<span class="fa {fa} glyphicon {glyph}"></span></a>')


class FastRowsMixin:
    """Mixed into BaseView; the list template calls ``list_row_html``."""

    def delete_form_html(self):
        """The page's delete form, drawn after the table (empty when no row
        was drawn here or the rows have no delete button)."""
        page = g.get("_list_row_pages", {}).get(self.endpoint)
        return Markup(page.delete_form) if page else ""

    @pass_context
    def list_row_html(self, context, row, row_actions):
        """One row's cells, or None to let Flask-Admin's template draw it."""
        if any(type(a) not in FAST_ACTIONS for a in row_actions):
            return None
        cache = g.setdefault("_list_row_pages", {})
        page = cache.get(self.endpoint)
        if page is None:
            page = cache[self.endpoint] = _Page(self, context, row_actions)
        pk = str(self.get_pk_value(row))
        out = [page.checkbox.replace(ID, pk)]
        if page.show_actions:
            out.append(f'<td class="list-buttons-column">{page.actions.replace(ID, pk)}</td>')
        for name, _label in self._list_columns:
            shown = self.get_list_value(context, row, name)
            if name in page.editable:
                shown = cell_html(row, name, pk, shown, on_row=True)
            out.append(f'<td class="col-{name}">{escape(shown)}</td>')
        # The row's id and version, once for all its cells (sheet.js).
        first = next(i for i, part in enumerate(out) if part)
        version = getattr(row, "version", None)  # registers have one; the audit log not
        mark = f'<td data-row="{pk}"' + ("" if version is None else f' data-version="{version}"')
        out[first] = out[first].replace("<td", mark, 1)
        return Markup("".join(out))
