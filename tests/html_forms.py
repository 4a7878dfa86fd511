"""Read an HTML form's fields as a browser would submit them (tests only)."""
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id=None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.depth = form_id, form_id is None, 0
        self.data, self._select, self._textarea, self._option = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.form_id is not None and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "y")
            elif kind not in ("submit", "button", "file"):
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select:
            self._option = a.get("value", "")
            if "selected" in a:
                self.data[self._select] = self._option
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.form_id is not None:
            self.inside = False


def form_fields(html, form_id=None):
    """{name: value} of the inputs, selects and textareas of the page (or of
    the form with ``form_id``); a textarea's leading newline is dropped as a
    browser does."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return {k: _lead(v) for k, v in reader.data.items()}


def _lead(value):
    for newline in ("\r\n", "\n"):
        if value.startswith(newline):
            return value[len(newline):]
    return value
