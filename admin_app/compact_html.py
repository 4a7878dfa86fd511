"""HTML pages without their templates' indentation (issue 14).

Flask-Admin's templates are deeply indented; a 20-row list carried some 10 KB
of white space between tags. A run of white space with a line break between
two tags becomes one line break: the same gap for the browser, so nothing
moves on screen. Text inside <textarea> and <pre> is left exactly as it is.
Streamed responses (exports) are not touched.
"""
import re

_KEEP = re.compile(r"<(textarea|pre)\b.*?</\1\s*>", re.S | re.I)
_GAP = re.compile(r">\s*\n\s*<")


def compact(html: str) -> str:
    out, last = [], 0
    for kept in _KEEP.finditer(html):
        out.append(_GAP.sub(">\n<", html[last:kept.start()]))
        out.append(kept.group(0))
        last = kept.end()
    out.append(_GAP.sub(">\n<", html[last:]))
    return "".join(out)


def init_app(app):
    @app.after_request
    def compact_pages(response):
        if (response.mimetype == "text/html" and not response.is_streamed
                and not response.direct_passthrough):
            response.set_data(compact(response.get_data(as_text=True)))
        return response
