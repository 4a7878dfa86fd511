"""Every setting of the app, declared once: (name, default, help).

Values come from the environment (same name) or from ``test_config`` given to
the app factory. A test walks this table to check each one is documented.
"""
from collections import namedtuple

Setting = namedtuple("Setting", "name default help")

SETTINGS = (
    Setting("SECRET_KEY", None,
            "Signs sessions and CSRF tokens. Generated and kept in the instance "
            "folder when not set."),
    Setting("DATABASE_URL", None,
            "mysql://user:pw@host:port/db for MySQL/MariaDB (PyMySQL, utf8mb4); "
            "unset means SQLite at instance/app.sqlite3."),
    Setting("TIMEZONE", "Asia/Shanghai",
            "Time zone of stored (naive) datetimes and of 'today'."),
    Setting("DEFAULT_LANGUAGE", "zh_Hans_CN",
            "UI language when neither the user nor the browser chooses one "
            "(zh_Hans_CN or en)."),
    Setting("SHOP_NAME", "示例维修服务有限公司",
            "The shop's name, shown in the header and on printed forms."),
    Setting("SHOP_LOGO_PATH", None,
            "A PNG or JPEG printed at the top left of every form; unset: no logo."),
    Setting("PDF_FONT_PATH", None,
            "TrueType CJK font embedded in printed forms (file.ttc#N picks a face of a "
            "collection); unset: WenQuanYi Zen Hei / Micro Hei are searched, else the "
            "non-embedded STSong-Light."),
    Setting("PDF_BOLD_FONT_PATH", None,
            "TrueType CJK font for headings and labels of printed forms; unset: WenQuanYi "
            "Zen Hei Sharp (there is no free bold WenQuanYi face)."),
    Setting("PAGE_SIZE", 20, "Rows per list page."),
    Setting("MAX_UPLOAD_MB", 20,
            "Largest request (an uploaded file) in MB; a larger one is refused before it "
            "is read."),
    Setting("IMPORT_MAX_EXPANDED_MB", 200,
            "Largest size in MB an imported .xlsx may unpack to (checked before it is "
            "read); a part growing more than 100 times when unpacked is refused too."),
    Setting("IMPORT_MAX_ROWS", 200_000, "Most rows one import file may have."),
    Setting("BACKUP_KEEP", 14,
            "How many backups the backups folder (instance/backups) keeps; older ones are "
            "removed after each new backup there."),
    Setting("HTTPS", 0,
            "1 when users reach the app over HTTPS (directly or through a TLS proxy): the "
            "session cookie is then sent over HTTPS only, with an HSTS header."),
    Setting("TRUSTED_PROXIES", 0,
            "How many reverse proxies stand in front of the app (nginx, a TLS proxy: 1). "
            "Their X-Forwarded-For/-Proto then give the client's address (login limits, "
            "audit) and scheme; 0 trusts no such header."),
    Setting("SESSION_HOURS", 12, "A login lasts at most this many hours."),
    Setting("SESSION_IDLE_MINUTES", 120,
            "A login ends after this many minutes without a request."),
)


def from_environ(environ):
    """Settings found in ``environ``, typed like their defaults."""
    found = {}
    for s in SETTINGS:
        if s.name in environ:
            raw = environ[s.name]
            found[s.name] = int(raw) if isinstance(s.default, int) else raw
    return found
