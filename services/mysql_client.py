"""The MySQL/MariaDB command-line client, for backups (mysqldump) and
restores (mysql): found on the PATH, given the connection of the app's
database in a private option file (never the password on a command line,
where ``ps`` shows it), streaming through gzip both ways."""
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager

from domain.i18n import N_, TranslatableError

DUMP_PROGRAMS = ("mariadb-dump", "mysqldump")
CLIENT_PROGRAMS = ("mariadb", "mysql")
CHUNK = 1024 * 1024


class ClientError(TranslatableError):
    """The client is missing or it failed; the message says which and why."""


def program(names):
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise ClientError(N_("%(program)s was not found: install the MariaDB/MySQL client "
                         "(Debian: apt-get install mariadb-client)."), program=names[-1])


def _quoted(value):
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def _option_file(database):
    params = database.connect_params
    fd, path = tempfile.mkstemp(prefix="cs-client-", suffix=".cnf")  # mode 0600
    try:
        with os.fdopen(fd, "w") as f:
            f.write("[client]\n")
            f.write(f"user={_quoted(params.get('user', ''))}\n")
            f.write(f"password={_quoted(params.get('password', ''))}\n")
            f.write(f"host={_quoted(params.get('host', '127.0.0.1'))}\n")
            f.write(f"port={int(params.get('port', 3306))}\n")
            # As PyMySQL does: TCP even for "localhost", not a socket that may be elsewhere.
            f.write("protocol=TCP\n")
            f.write("default-character-set=utf8mb4\n")
        yield path
    finally:
        os.remove(path)


def _failed(name, errors):
    errors.seek(0)
    text = errors.read().decode("utf-8", "replace").strip()
    return ClientError(N_("%(program)s failed: %(error)s"), program=name,
                       error=text[-2000:] or "?")


def dump(database, out):
    """Write a consistent dump of ``database`` into the binary file ``out``
    (--single-transaction: one InnoDB snapshot, writers are not blocked)."""
    dumper = program(DUMP_PROGRAMS)
    with _option_file(database) as options, tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [dumper, f"--defaults-extra-file={options}", "--single-transaction", "--quick",
             "--hex-blob", "--no-tablespaces", "--triggers", database.database],
            stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL)
        try:
            shutil.copyfileobj(proc.stdout, out, CHUNK)
        finally:
            proc.stdout.close()
            code = proc.wait()
        if code:
            raise _failed(os.path.basename(dumper), errors)


def load(database, source):
    """Run the SQL of the binary file ``source`` in ``database``."""
    client = program(CLIENT_PROGRAMS)
    with _option_file(database) as options, tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen([client, f"--defaults-extra-file={options}", database.database],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            shutil.copyfileobj(source, proc.stdin, CHUNK)
        except BrokenPipeError:
            pass  # the client stopped on an error: its message follows
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass
            code = proc.wait()
        if code:
            raise _failed(os.path.basename(client), errors)
