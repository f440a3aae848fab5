"""``sqlmig compliance report`` as Markdown, HTML or the JSON result.

The sections and their order are fixed; every list is sorted by the library
(:mod:`sqlmig.compliance.report`), and the only clock reading is the
header's ``generated`` line, so two reports diff cleanly.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...compliance.report import ComplianceReport

TITLES = (("inventory", "1. Personal-data inventory"), ("retention", "2. Retention"),
          ("access", "3. Access control"), ("changes", "4. Change control"),
          ("integrity", "5. Integrity"))


def sections(r: ComplianceReport) -> list[tuple[str, str, list[str], list[list[str]], list[str]]]:
    """(key, title, header, rows, notes) of each section: what both formats draw."""
    inv_rows = []
    for t in r.inventory:
        for c in t.columns:
            inv_rows.append([t.table, c.name, c.pii or "NOT CLASSIFIED", t.level or "-",
                             ", ".join(c.readers) or "-"])
    inv_notes = [f"{t.table}: " + ("personal data" if t.personal_data else "has @pii columns")
                 + (f", {t.level}" if t.level else "")
                 + (", row-level security on" + (": " + "; ".join(t.policies) if t.policies
                                                  else " (no policy: nobody but the owner "
                                                       "and BYPASSRLS roles)")
                    if t.row_security else ", no row-level security")
                 for t in r.inventory]
    inv_notes += [f"finding: {p}" for p in r.unclassified]
    ret_rows = [[i.table, i.data_class or "-", i.source, i.period, i.action or "-",
                 i.legal_basis or "-", i.timestamp_column or "-", i.oldest or "-",
                 "not measured" if i.rows_due is None else str(i.rows_due),
                 "yes" if i.active else "no"] for i in r.retention]
    overdue = [i for i in r.retention if i.rows_due]
    ret_notes = ([f"OVERDUE: {i.table} ({i.data_class}): {i.rows_due} rows older than "
                  f"{i.period}" for i in overdue] or ["no rows overdue"]) if r.retention else [
        "no retention policy and no @retention tag"]
    role_rows = [[x.name, "yes" if x.superuser else "no", "yes" if x.login else "no",
                  "yes" if x.bypass_rls else "no", ", ".join(x.member_of) or "-",
                  "; ".join(x.grants) or "-"] for x in r.roles]
    role_notes = [f"members of {role}: {', '.join(m)}" for role, m in
                  r.privileged_members.items()] or ["no privileged memberships"]
    change_rows = [[f"{e.at:%Y-%m-%d %H:%M:%S %Z}", e.action, e.outcome,
                    ", ".join(map(str, e.versions)) or "-", e.by, e.approval or "-",
                    e.backup or "-",
                    (f"EMERGENCY: {e.reason}" if e.emergency else e.reason or "-"),
                    (e.detail or "-")[:200]] for e in r.changes]
    change_notes = [f"{len(r.changes)} event(s) in the last {r.since}"]
    g = r.integrity
    integ_rows = [[str(g.run_id), f"{g.started_at:%Y-%m-%d %H:%M:%S %Z}", str(g.checks),
                   str(g.passed), str(g.warned), str(g.failed), str(g.errored)]] if g else []
    integ_notes = [] if g else ["no check run recorded (run `sqlmig check --record`)"]
    return [
        ("inventory", TITLES[0][1], ["Table", "Column", "PII", "Classification", "Readers"],
         inv_rows, inv_notes),
        ("retention", TITLES[1][1], ["Table", "Data class", "Source", "Period", "Action",
                                     "Legal basis", "Counted from", "Oldest row", "Rows due",
                                     "Active"], ret_rows, ret_notes),
        ("access", TITLES[2][1], ["Role", "Superuser", "Login", "Bypass RLS", "Member of",
                                  "Privileges on classified tables"], role_rows, role_notes),
        ("changes", TITLES[3][1], ["At", "Action", "Outcome", "Versions", "By", "Approval",
                                   "Backup", "Emergency / reason", "Detail"], change_rows,
         change_notes),
        ("integrity", TITLES[4][1], ["Run", "Started", "Checks", "Pass", "Warn", "Fail",
                                     "Error"], integ_rows, integ_notes),
    ]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(r: ComplianceReport) -> str:
    out = [f"# Compliance report: {r.env} ({r.database})", "",
           f"generated: {r.generated_at:%Y-%m-%dT%H:%M:%S%z}", ""]
    for key, title, header, rows, notes in sections(r):
        out += [f"## {title}", "", f"Source: {r.sources[key]}.", ""]
        if rows:
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "---|" * len(header))
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            out.append("")
        out += [f"- {_md_cell(n)}" for n in notes]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def html(r: ComplianceReport) -> str:
    body = [f"<h1>Compliance report: {escape(r.env)} ({escape(r.database)})</h1>",
            f"<p>generated: {r.generated_at:%Y-%m-%dT%H:%M:%S%z}</p>"]
    for key, title, header, rows, notes in sections(r):
        body.append(f'<section id="{key}"><h2>{escape(title)}</h2>'
                    f"<p><i>Source: {escape(r.sources[key])}.</i></p>")
        if rows:
            body.append("<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header)
                        + "</tr>" + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row)
                                            + "</tr>" for row in rows) + "</table>")
        if notes:
            body.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>")
        body.append("</section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Compliance report: {escape(r.env)}</title><style>"
            "body{font-family:system-ui,sans-serif;margin:1rem 2rem}table{border-collapse:"
            "collapse}td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;"
            "font-size:.9rem}</style></head>\n<body>\n" + "\n".join(body)
            + "\n</body></html>\n")


def data(r: ComplianceReport) -> dict[str, Any]:
    """The JSON result: the report's dataclasses (to_jsonable does the rest)."""
    from ...core.results import to_jsonable

    out: dict[str, Any] = to_jsonable(r)
    return out


def written(path: str, fmt: str) -> str:
    return f"wrote the compliance report ({fmt}) to {path}"
