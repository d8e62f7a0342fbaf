"""Dumps every table of a SQLite database as JSON (for the e2e privacy check).

Reading through SQLite applies the WAL, so rows still in the -wal file are
included. Each value is written with its storage class, so the check can tell
text from blobs:  {"table": {"columns": [...], "rows": [[["text", "..."], ...]]}}
Usage: python3 dbdump.py DB_FILE
"""
import json
import shutil
import sqlite3
import sys
import tempfile
import os


def dump(path):
    # work on a copy (with its -wal and -shm) so the test never touches the server's files
    tmp = tempfile.mkdtemp()
    copy = os.path.join(tmp, "copy.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            shutil.copyfile(path + suffix, copy + suffix)
    con = sqlite3.connect(copy)
    out = {}
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        cur = con.execute(f'SELECT * FROM "{table}"')
        columns = [d[0] for d in cur.description]
        rows = []
        for row in cur.fetchall():
            cells = []
            for v in row:
                if v is None:
                    cells.append(["null", None])
                elif isinstance(v, bytes):
                    cells.append(["blob", v.hex()])
                elif isinstance(v, int):
                    cells.append(["integer", v])
                elif isinstance(v, float):
                    cells.append(["real", v])
                else:
                    cells.append(["text", v])
            rows.append(cells)
        out[table] = {"columns": columns, "rows": rows}
    con.close()
    shutil.rmtree(tmp)
    return out


if __name__ == "__main__":
    json.dump(dump(sys.argv[1]), sys.stdout)
