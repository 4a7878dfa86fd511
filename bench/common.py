"""What every benchmark does first: open the database and bring its schema up to date."""
import os

from admin_app import create_app, migrations
from models import db


def open_database(sqlite_path, **config):
    """The app on DATABASE_URL (MySQL/MariaDB, e.g. set by bench/with-mariadb)
    or else on the SQLite file ``sqlite_path`` — kept between runs, so a
    dataset built once is reused. ``config`` adds to the app's settings."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{sqlite_path}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", **config})
    db.connect(reuse_if_open=True)
    migrations.upgrade(db.obj)
    print(f"database: {type(db.obj).__name__} {url.split('@')[-1]}")
    return app
