"""The import pages of a register: upload, map unknown headers, dry run,
import; the refused rows as a file; a template to start from.

The uploaded file waits in the instance folder (``imports/<user>-<token>``)
between the steps, so each step re-reads it instead of keeping rows in the
session; the token in the form names it and only its uploader may use it. A
file refused at any step is deleted at once, an imported one right after
the import, an abandoned one after a day. The import step carries the dry
run's digest: when the import would now do something else (a record changed
meanwhile) nothing is written and the new dry run is shown. The work is
services.importer's; this module turns its report into pages.
"""
import io
import os
import re
import secrets
import time

from flask import (abort, current_app, flash, has_request_context, redirect, request,
                   send_file)
from flask_admin import expose
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from peewee import ForeignKeyField

import models as M
from domain import access
from domain.i18n import N_
from services import import_mappings, importer
from services.import_files import XLSX_MIMETYPE, FileRefused, kind_of, write_table
from services.import_limits import Limits
from services.import_template import example_values, template_xlsx

from .action_pages import return_url
from .import_wording import ImportWordingMixin
from .messages import translated

IMPORT_ROLES = access.OWNER   # SPEC: owners import their old Excel lists
SHOW_ROWS = 500               # rows of a dry run shown on the page (all counted)
KEEP_SECONDS = 24 * 3600      # abandoned uploads are removed after a day
STATUS_LABELS = {"created": _l("Create"), "updated": _l("Update"),
                 "unchanged": _l("No change"), "duplicate": _l("Duplicate in the file"),
                 "refused": _l("Refused")}
NOTES = {"sale": _l("Importing sales also brings their customers' last deal date and class "
                    "up to date.")}


def _folder():
    path = os.path.join(current_app.instance_path, "imports")
    os.makedirs(path, exist_ok=True)
    return path


def _forget_old_uploads(folder):
    limit = time.time() - KEEP_SECONDS
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if os.path.getmtime(path) < limit:
            os.remove(path)


def _limits():
    return Limits.from_config(current_app.config)


class Upload:
    """The user's uploaded file between two steps."""

    def __init__(self, token, kind, name):
        if not re.fullmatch(r"[0-9a-f]{32}", token or "") or kind not in ("csv", "xlsx"):
            abort(404)
        self.token, self.kind, self.name = token, kind, (name or f"import.{kind}")[:200]
        self.path = os.path.join(_folder(), f"{current_user.id}-{token}.{kind}")
        if not os.path.exists(self.path):
            abort(404)

    @classmethod
    def from_request(cls):
        values = request.values
        return cls(values.get("token"), values.get("kind"), values.get("name"))

    @classmethod
    def save(cls, storage):
        kind = kind_of(storage.filename)
        folder = _folder()
        _forget_old_uploads(folder)
        token = secrets.token_hex(16)
        storage.save(os.path.join(folder, f"{current_user.id}-{token}.{kind}"))
        return cls(token, kind, os.path.basename(storage.filename))

    def remove(self):
        if os.path.exists(self.path):
            os.remove(self.path)


def _mapping():
    """The user's answers of the mapping step: {column index: field or ""}."""
    return {int(k[4:]): v for k, v in request.values.items()
            if k.startswith("map_") and k[4:].isdigit()}


def _clear_blanks():
    return request.values.get("clear_blanks") == "1"


class ImportMixin(ImportWordingMixin):
    """Mixed into BaseView; active for the registers services.importer knows."""

    @property
    def can_import(self):
        return (self.endpoint in importer.REGISTERS and has_request_context()
                and current_user.is_authenticated and current_user.role in IMPORT_ROLES
                and self._may("write"))

    @expose("/import/", methods=("GET", "POST"))
    def import_view(self):
        if not self.can_import:
            abort(403)
        step = request.form.get("step")
        if request.method == "GET" or not step:
            return self._upload_page()
        if step == "upload":
            return self._upload()
        upload = Upload.from_request()
        try:
            if step == "import":
                return self._import(upload)
            if request.form.get("remember") == "1":
                self._remember(upload)
            return self._report_page(upload, self._analyse(upload))
        except (FileRefused, importer.ImportFailed) as ex:
            return self._refuse(upload, ex)

    @expose("/import/refused/")
    def import_refused_view(self):
        """The refused rows in the uploaded layout, with a reason column."""
        if not self.can_import:
            abort(403)
        upload = Upload.from_request()
        try:
            report = self._analyse(upload)
            found = importer.refused_rows(report, upload.path, _limits())
        except FileRefused as ex:
            return self._refuse(upload, ex)
        rows = [tuple(raw) + (self.reason_text(o),) for raw, o in found]
        out = io.BytesIO()  # the refused rows of a file are few: built in memory
        write_table(upload.kind, list(report.header) + [_("reason")], rows, out)
        stem = os.path.splitext(upload.name)[0]
        return send_file(io.BytesIO(out.getvalue()), as_attachment=True,
                         download_name=f"{stem}-refused.{upload.kind}",
                         mimetype=XLSX_MIMETYPE if upload.kind == "xlsx" else "text/csv")

    @expose("/import/template/")
    def import_template_view(self):
        """An .xlsx to start from: the columns in the user's language, one
        example row, the allowed values of the choice columns."""
        if not self.can_import:
            abort(403)
        spec = importer.SPECS[self.endpoint]
        names = spec.fields + tuple(spec.extra)
        examples = example_values(spec)
        data = template_xlsx(
            title=re.sub(r"[\[\]:*?/\\]", " ", str(self.name)),
            columns=[self.field_label(n) for n in names],
            example=[self._template_value(n, examples[n]) for n in names],
            values_title=_("Allowed values"),
            choices={i: labels for i, n in enumerate(names)
                     if (labels := self.allowed_labels(n))})
        return send_file(io.BytesIO(data), as_attachment=True, mimetype=XLSX_MIMETYPE,
                         download_name=_("%(register)s import template",
                                         register=self.name) + ".xlsx")

    # ------------------------------------------------------------- steps
    def _analyse(self, upload):
        return importer.analyse(self.endpoint, upload.path, filename=upload.name,
                                mapping=_mapping(), clear_blanks=_clear_blanks(),
                                limits=_limits())

    def _upload(self):
        storage = request.files.get("file")
        if storage is None or not storage.filename:
            flash(_("Choose a file to upload."), "error")
            return self._upload_page()
        try:
            upload = Upload.save(storage)
        except FileRefused as ex:
            flash(translated(ex), "error")
            return self._upload_page()
        try:
            header = importer.read_header(upload.path, upload.name, _limits())
            if not any(header):
                raise FileRefused(N_("The file has no header row."))
            columns, unknown = importer.header_columns(self.endpoint, header)
            if unknown:
                return self._mapping_page(upload, header, columns, unknown)
            return self._report_page(upload, self._analyse(upload))
        except FileRefused as ex:
            return self._refuse(upload, ex)

    def _refuse(self, upload, ex):
        """A file that cannot be imported is deleted at once."""
        upload.remove()
        flash(translated(ex), "error")
        return self._upload_page()

    def _remember(self, upload):
        header = importer.read_header(upload.path, upload.name, _limits())
        import_mappings.remember(
            user_id=current_user.id, register=self.endpoint,
            choices=[(header[i], f) for i, f in _mapping().items() if i < len(header)])

    def _import(self, upload):
        report = importer.run_import(
            self.endpoint, upload.path, filename=upload.name, mapping=_mapping(),
            clear_blanks=_clear_blanks(), user_id=current_user.id, ip=self._ip(),
            skip_refused=request.form.get("skip_refused") == "1",
            expected_digest=request.form.get("digest", ""), limits=_limits())
        if report.stale:
            flash(_("Records changed since your dry run, so nothing was imported. This is "
                    "the dry run again: check it and import again."), "warning")
            return self._report_page(upload, report)
        if not report.imported:
            flash(_("Nothing was imported: %(num)d rows are refused. Fix them, or choose to "
                    "leave them out.", num=len(report.refused)), "error")
            return self._report_page(upload, report)
        upload.remove()
        flash(_("Import done: %(created)d created, %(updated)d updated, %(unchanged)d "
                "unchanged, %(duplicate)d duplicate rows merged, %(refused)d refused rows "
                "left out.", **report.counts), "success")
        return redirect(return_url(self))

    # ------------------------------------------------------------- pages
    def _import_page(self, template, **context):
        spec = importer.SPECS[self.endpoint]
        fields = [self.field_label(f) for f in spec.fields + tuple(spec.extra)]
        return self.render(template, title=_("Import into %(register)s", register=self.name),
                           fields=fields, return_url=return_url(self), **context)

    def _upload_page(self):
        limits = _limits()
        return self._import_page(
            "admin/import/upload.html", max_rows=limits.max_rows,
            max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
            template_url=self.get_url(".import_template_view"))

    def _mapping_page(self, upload, header, columns, unknown):
        offered = import_mappings.remembered(user_id=current_user.id, register=self.endpoint,
                                             headers=[text for _i, text in unknown])
        choices = self._field_choices(columns)
        valid = {value for value, _label in choices}
        selected = {i: offered[text] for i, text in unknown
                    if text in offered and offered[text] in valid}
        return self._import_page("admin/import/mapping.html", upload=upload, header=header,
                                 columns=columns, unknown=unknown, choices=choices,
                                 selected=selected)

    def _report_page(self, upload, report):
        shown = report.refused[:SHOW_ROWS]
        shown += [o for o in report.outcomes if o.status != "refused"][:SHOW_ROWS - len(shown)]
        shown.sort(key=lambda o: o.line)
        mapping = _mapping()
        return self._import_page(
            "admin/import/report.html", upload=upload, report=report, counts=report.counts,
            rows=[self.row_view(o) for o in shown], mapping=mapping,
            clear_blanks=report.clear_blanks, digest=report.digest,
            status_labels=STATUS_LABELS, note=NOTES.get(self.endpoint),
            refused_url=self.get_url(".import_refused_view", token=upload.token,
                                     kind=upload.kind, name=upload.name,
                                     clear_blanks="1" if report.clear_blanks else "",
                                     **{f"map_{i}": f for i, f in mapping.items()}),
            columns=[(h, self.field_label(f) if f else None)
                     for h, f in zip(report.header, report.columns)])

    def _field_choices(self, columns):
        taken = set(columns)
        spec = importer.SPECS[self.endpoint]
        return [("", _("Leave this column out"))] + [
            (f, self.field_label(f)) for f in spec.fields + tuple(spec.extra) if f not in taken]

    def _template_value(self, name, value):
        """A template cell: a choice by its label, yes/no in words, a customer
        and a user the owner knows."""
        field = self.model._meta.fields.get(name)
        if isinstance(field, ForeignKeyField):
            if field.rel_model is M.User:
                return str(current_user)
            if field.rel_model is M.Customer:
                first = access.scope_query(M.Customer.select(M.Customer.code), M.Customer,
                                           current_user).order_by(M.Customer.id).first()
                return first.code if first else "C000001"
            return None
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if value is not None and field is not None and field.choices:
            return str(dict(self.column_choices.get(name, field.choices)).get(value, value))
        return value
