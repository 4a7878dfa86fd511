"""Printing from the admin: the print URL, the "Print" list action and the
details page's Print buttons.

Put ``PrintMixin`` before ``BaseView`` among a view's bases and name its forms::

    class ComplaintView(PrintMixin, BaseView):
        print_forms = ("complaint_report", "complaint_registration")

``GET /admin/<endpoint>/print/?id=<id>[&form=<name>][&lang=zh|en]`` answers
the PDF of one record; ``?blank=1&form=<name>`` a blank form (the forms in
pdf_templates.BLANK_FORMS). The record is found with the view's scoped
``get_one`` (outside the user's scope: 404) and the view's read permission
applies (a role without it: 403), exactly as on the details page. Every
print writes an audit row per record (action "print").
"""
import re
from io import BytesIO

from flask import abort, current_app, request, send_file, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user

import pdf_templates
from models import db
from pdf_templates.data import PrintSettings
from pdf_templates.i18n import normalize
from services import audit, print_data
from services.bulk import chunks

UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\"<>:|?*]+')
OTHER_LANGUAGE = {"zh": ("en", "English"), "en": ("zh", "中文")}


class PrintMixin:
    # Form names (pdf_templates.FORMS) this register prints; the first is the
    # default of the print URL and the one the list action prints.
    print_forms = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A view on the stock details page gets the one with Print buttons; a
        # view with its own details template includes admin/_print_buttons.html.
        if self.details_template == "admin/model/details.html":
            self.details_template = "admin/_print_details.html"

    # ------------------------------------------------------------- helpers
    def _print_form(self):
        name = request.args.get("form") or (self.print_forms[0] if self.print_forms else None)
        if name not in self.print_forms:
            abort(404)
        return name

    @staticmethod
    def _print_language():
        chosen = request.values.get("lang")
        return normalize(chosen if chosen in ("zh", "en") else str(get_locale() or "zh"))

    @staticmethod
    def _print_settings():
        return PrintSettings.from_mapping(current_app.config)

    def _audit_prints(self, form, lang, record_ids):
        with db.atomic():
            for record_id in record_ids:
                audit.record(user=current_user.id, action="print", register=self.endpoint,
                             record_id=record_id, ip=self._ip(),
                             changes={"form": [None, form], "language": [None, lang]})

    @staticmethod
    def _pdf(content, name):
        name = UNSAFE.sub("_", name).strip(" ._") or "form"
        response = send_file(BytesIO(content), mimetype="application/pdf", as_attachment=False,
                             download_name=f"{name}.pdf", conditional=False, etag=False,
                             max_age=0)
        response.headers["Cache-Control"] = "private, no-store"  # customer data
        return response

    @staticmethod
    def _stem(form, data, record_id):
        number = data.get("number")
        if number and not str(number).startswith("#"):
            return str(number)
        return data.get("name") or f"{form}-{record_id}"

    # ------------------------------------------------------------- views
    @expose("/print/")
    def print_view(self):
        form, lang, settings = self._print_form(), self._print_language(), self._print_settings()
        if request.args.get("blank"):
            if form not in pdf_templates.BLANK_FORMS:
                abort(404)
            content = pdf_templates.render_blank(form, lang, settings)
            self._audit_prints(form, lang, [None])
            return self._pdf(content, f"{form}-blank")
        record = self.get_one(request.args.get("id"))  # 404 outside the user's scope
        data = print_data.load(form, self.model, [record.id], user=current_user)[0]
        content = pdf_templates.render(form, data, lang, settings)
        self._audit_prints(form, lang, [record.id])
        return self._pdf(content, self._stem(form, data, record.id))

    @action("print", _l("Print"))
    def action_print(self, ids):
        if not self.print_forms:
            abort(404)
        form, lang = self.print_forms[0], self._print_language()
        wanted = [int(i) for i in ids]  # ids checked at the edge (views.params)
        visible = set()
        for part in chunks(wanted):
            visible.update(i for (i,) in self.scoped(self.model.select(self.model.id))
                           .where(self.model.id.in_(part)).tuples())
        chosen = [i for i in dict.fromkeys(wanted) if i in visible]  # list order, no repeats
        if not chosen:
            abort(404)  # none of them visible: nothing printed, the page says so
        # print_data narrows what each form lists (a plan's items) the same way.
        data = print_data.load(form, self.model, chosen, user=current_user)
        content = pdf_templates.render_batch(form, data, lang, self._print_settings())
        self._audit_prints(form, lang, chosen)
        stem = self._stem(form, data[0], chosen[0]) if len(chosen) == 1 else f"{form}-{len(chosen)}"
        return self._pdf(content, stem)

    # ------------------------------------------------------------- details page
    def print_links(self, record):
        """[(label, url, css id)] for the details page's Print buttons."""
        lang = self._print_language()
        other, other_label = OTHER_LANGUAGE[lang]
        links = []
        for form in self.print_forms:
            title = _(pdf_templates.FORMS[form].TITLE)
            url = url_for(f"{self.endpoint}.print_view", id=record.id, form=form)
            links.append((_("Print") + " · " + title, url, f"print-{form}"))
            links.append((other_label, url + f"&lang={other}", f"print-{form}-{other}"))
        return links

    def blank_print_links(self):
        """[(label, url, css id)] for blank forms this register offers."""
        return [(_("Blank form") + " · " + _(pdf_templates.FORMS[form].TITLE),
                 url_for(f"{self.endpoint}.print_view", form=form, blank=1),
                 f"print-{form}-blank")
                for form in self.print_forms if form in pdf_templates.BLANK_FORMS]
