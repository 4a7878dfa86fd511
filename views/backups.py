"""Backups (owner): the backups folder with sizes and times, "back up now",
and downloads, each download in the audit log (services.backup)."""
import os

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user
from peewee import PeeweeException

from admin_app.database import cannot_write
from domain.clock import now
from models import db
from services import audit, backup, backup_files
from services.mysql_client import ClientError

from .messages import translated
from .page_base import PolicyPage


def size_text(n):
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


class BackupsView(PolicyPage):
    def _folder(self):
        return backup_files.folder(current_app.instance_path)

    @expose("/")
    def index(self):
        files = backup_files.listing(self._folder())
        return self.render("admin/backups.html", files=files, size_text=size_text,
                           keep=current_app.config["BACKUP_KEEP"], folder=self._folder())

    @expose("/run/", methods=("POST",))
    def run(self):
        self.needs("write")
        try:
            done = backup.take(db.obj, instance_path=current_app.instance_path, now=now(),
                               keep=current_app.config["BACKUP_KEEP"])
        except ClientError as ex:
            flash(_("No backup was made: %(reason)s", reason=translated(ex)), "error")
            return redirect(url_for(".index"))
        except OSError as ex:
            current_app.logger.error("Backup failed: %s", ex)
            flash(_("No backup was made: %(reason)s", reason=ex.strerror or str(ex)), "error")
            return redirect(url_for(".index"))
        name = os.path.basename(done.path)
        try:
            audit.record(user=current_user.id, action="backup", register="backup",
                         changes={"file": [None, name], "bytes": [None, done.size]},
                         ip=request.remote_addr)
        except PeeweeException as ex:
            # The backup is made; a database that cannot take its audit row is
            # exactly when it matters. The log says it instead.
            if not cannot_write(ex):
                raise
            current_app.logger.warning("Backup %s not audited: %s", name, ex)
        flash(_("Backup %(name)s written (%(size)s) in %(seconds).1f s.", name=name,
                size=size_text(done.size), seconds=done.seconds), "success")
        return redirect(url_for(".index"))

    @expose("/download/<filename>")  # not <name>: Flask-Admin's _handle_view takes that
    def download(self, filename):
        self.needs("export")
        found = backup_files.find(self._folder(), filename)
        if found is None:
            abort(404)
        # Audited before a byte leaves: a copy of every record is a big export.
        audit.record(user=current_user.id, action="export", register="backup",
                     changes={"file": [None, found.name], "bytes": [None, found.size]},
                     ip=request.remote_addr)
        return send_file(found.path, mimetype="application/gzip", as_attachment=True,
                         download_name=found.name, max_age=0)
