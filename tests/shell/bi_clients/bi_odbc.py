#!/usr/bin/python3
# bi_odbc.py — what a BI tool sees through ODBC (tests/shell/bi_clients.sh): psqlODBC through
# unixODBC (pyodbc), as a complaint_reader login; lists the views of schema complaint and
# their columns through SQLTables / SQLColumns, checks plain types, reads every view, checks
# that the tables stay closed. One "ok"/"not ok" line per check, then "N passed, N failed".
# Usage: bi_odbc.py "<ODBC connection string>"
import sys
import pyodbc

PLAIN = {"int8", "text", "numeric", "date", "timestamptz", "bool"}
VIEWS = {"v_complaints", "v_overdue", "v_daily_report", "v_semimonthly_report", "v_monthly_report",
         "v_handler_scorecard", "v_repeat_complaints", "v_penalties", "v_hotspots"}
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print(("ok - " if ok else "not ok - ") + what)


con = pyodbc.connect(sys.argv[1])
cur = con.cursor()
print("# driver %s %s, server %s" % (con.getinfo(pyodbc.SQL_DRIVER_NAME), con.getinfo(pyodbc.SQL_DRIVER_VER),
                                     con.getinfo(pyodbc.SQL_DBMS_VER)))
# the BI views are the v_* views of the schema (complaint.attachments is attach()'s, not a report)
views = sorted(r.table_name for r in cur.tables(schema="complaint", tableType="VIEW").fetchall()
               if r.table_name.startswith("v_"))
print("# views: " + ", ".join(views))
check(VIEWS <= set(views), "the nine views are listed (SQLTables)")
for v in views:
    cols = cur.columns(table=v, schema="complaint").fetchall()
    bad = [(c.column_name, c.type_name) for c in cols if c.type_name not in PLAIN]
    types = {}
    for c in cols:
        types[c.type_name] = types.get(c.type_name, 0) + 1
    print("# %s: %d columns %s" % (v, len(cols), dict(sorted(types.items()))))
    for name, t in bad:
        print("# %s.%s has type %s" % (v, name, t))
    check(len(cols) > 0 and not bad, "%s: %d columns, all of plain types (SQLColumns)" % (v, len(cols)))
    try:
        cur.execute("SELECT * FROM complaint.%s LIMIT 20" % v)
        rows = cur.fetchall()
        check(len(cur.description) == len(cols), "%s: read %d rows of %d columns" % (v, len(rows), len(cur.description)))
    except pyodbc.Error as e:
        check(False, "%s: read: %s" % (v, e))
cur.execute("SELECT contact, complainant FROM complaint.v_complaints WHERE contact IS NOT NULL LIMIT 1")
row = cur.fetchone()
check(row is not None and "******" in row[0] and row[1].startswith("P-"),
      "contact masked and complainant a pseudonym for complaint_reader")
try:
    cur.execute("SELECT count(*) FROM complaint.complaint")
    cur.fetchall()
    check(False, "the table complaint.complaint is closed to complaint_reader")
except pyodbc.Error as e:
    check(e.args[0] == "42501", "the table complaint.complaint is closed to complaint_reader (%s)" % e.args[0])
print("%d passed, %d failed" % (passed, failed))
sys.exit(0 if failed == 0 else 1)
