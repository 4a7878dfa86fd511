"""The import pages of a register: upload, map unknown headers, dry run, import.

The uploaded file waits in the instance folder (``imports/<user>-<token>``)
between the steps, so each step re-reads it instead of keeping rows in the
session; the token in the form names it and only its uploader may use it.
The work is services.importer's; this module turns its report into pages,
the refused rows into a file in the uploaded layout with a reason column.
"""
import io
import os
import re
import secrets
import time

from flask import (abort, current_app, flash, g, has_request_context, redirect, request,
                   send_file)
from flask_admin import expose
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from peewee import ForeignKeyField

from domain import access
from services import importer
from services.import_files import XLSX_MIMETYPE, FileRefused, kind_of, write_table

from .action_pages import return_url
from .messages import translated

IMPORT_ROLES = access.OWNER   # SPEC: owners import their old Excel lists
SHOW_ROWS = 500               # rows of a dry run shown on the page (all counted)
KEEP_SECONDS = 24 * 3600      # abandoned uploads are removed after a day
STATUS_LABELS = {"created": _l("Create"), "updated": _l("Update"),
                 "unchanged": _l("No change"), "duplicate": _l("Duplicate in the file"),
                 "refused": _l("Refused")}


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


class ImportMixin:
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
            return self._import_page("admin/import/upload.html")
        if step == "upload":
            return self._upload()
        upload = Upload.from_request()
        if step == "import":
            return self._import(upload)
        report = importer.analyse(self.endpoint, upload.path, filename=upload.name,
                                  mapping=_mapping())
        return self._report_page(upload, report)

    @expose("/import/refused/")
    def import_refused_view(self):
        """The refused rows in the uploaded layout, with a reason column."""
        if not self.can_import:
            abort(403)
        upload = Upload.from_request()
        report = importer.analyse(self.endpoint, upload.path, filename=upload.name,
                                  mapping=_mapping())
        rows = [tuple(o.raw) + (self.reason_text(o),) for o in report.refused]
        out = io.BytesIO()  # the refused rows of a file are few: built in memory
        write_table(upload.kind, list(report.header) + [_("reason")], rows, out)
        stem = os.path.splitext(upload.name)[0]
        return send_file(io.BytesIO(out.getvalue()), as_attachment=True,
                         download_name=f"{stem}-refused.{upload.kind}",
                         mimetype=XLSX_MIMETYPE if upload.kind == "xlsx" else "text/csv")

    # ------------------------------------------------------------- steps
    def _upload(self):
        storage = request.files.get("file")
        if storage is None or not storage.filename:
            flash(_("Choose a file to upload."), "error")
            return self._import_page("admin/import/upload.html")
        try:
            upload = Upload.save(storage)
            header = importer.read_header(upload.path, upload.name)
        except FileRefused as ex:
            flash(translated(ex), "error")
            return self._import_page("admin/import/upload.html")
        if not any(header):
            upload.remove()
            flash(_("The file has no header row."), "error")
            return self._import_page("admin/import/upload.html")
        columns, unknown = importer.header_columns(self.endpoint, header)
        if unknown:
            return self._import_page("admin/import/mapping.html", upload=upload,
                                     header=header, columns=columns, unknown=unknown,
                                     choices=self._field_choices(columns))
        report = importer.analyse(self.endpoint, upload.path, filename=upload.name)
        return self._report_page(upload, report)

    def _import(self, upload):
        report = importer.run_import(
            self.endpoint, upload.path, filename=upload.name, mapping=_mapping(),
            user_id=current_user.id, ip=self._ip(),
            skip_refused=request.form.get("skip_refused") == "1")
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

    def _report_page(self, upload, report):
        shown = report.refused[:SHOW_ROWS]
        shown += [o for o in report.outcomes if o.status != "refused"][:SHOW_ROWS - len(shown)]
        shown.sort(key=lambda o: o.line)
        return self._import_page(
            "admin/import/report.html", upload=upload, report=report, counts=report.counts,
            rows=[self._row_view(report, o) for o in shown], mapping=_mapping(),
            status_labels=STATUS_LABELS,
            refused_url=self.get_url(".import_refused_view", token=upload.token,
                                     kind=upload.kind, name=upload.name,
                                     **{f"map_{i}": f for i, f in _mapping().items()}),
            columns=[(h, self.field_label(f) if f else None)
                     for h, f in zip(report.header, report.columns)])

    def _row_view(self, report, outcome):
        keys = {f for tier in importer.SPECS[self.endpoint].match for f in tier}
        record = " · ".join(str(outcome.raw[i]) for i, f in enumerate(report.columns)
                            if f in keys and outcome.raw[i] not in (None, ""))
        if outcome.status == "refused":
            detail = self.reason_text(outcome)
        elif outcome.status == "duplicate":
            detail = _("Same record as line %(line)d.", line=outcome.same_as)
        else:
            detail = _("; ").join(
                f"{self.field_label(f)}: {self.value_text(f, old)} → {self.value_text(f, new)}"
                for f, (old, new) in outcome.changes.items())
        return {"line": outcome.line, "status": outcome.status, "record": record,
                "detail": detail}

    # ------------------------------------------------------------- wording
    def field_label(self, name):
        extra = importer.SPECS[self.endpoint].extra.get(name)
        if extra:
            return _(extra[0])
        return str(self.column_labels.get(name, name))

    def reason_text(self, outcome):
        return _("; ").join((f"{self.field_label(f)}: " if f else "") + translated(ex)
                            for f, ex in outcome.problems)

    def value_text(self, name, value):
        if value is None or value == "":
            return "—"
        field = self.model._meta.fields[name]
        if isinstance(field, ForeignKeyField):
            names = g.setdefault("_import_names", {})  # a page names few records, often
            if (name, value) not in names:
                target = field.rel_model.get_or_none(field.rel_model.id == value)
                names[(name, value)] = str(target) if target else str(value)
            return names[(name, value)]
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        labels = dict(self.column_choices.get(name, ()))
        return str(labels.get(value, value))

    def _field_choices(self, columns):
        taken = set(columns)
        spec = importer.SPECS[self.endpoint]
        return [("", _("Leave this column out"))] + [
            (f, self.field_label(f)) for f in spec.fields + tuple(spec.extra) if f not in taken]
