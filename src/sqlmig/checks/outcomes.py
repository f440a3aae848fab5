"""What one check's run becomes: its rows turned into results, or the fault
that kept it from giving a verdict (:mod:`sqlmig.checks.run` runs the checks)."""

from __future__ import annotations

from datetime import date, datetime, time as dtime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from .files import CheckFile, query_location
from .report import CheckFault, CheckOutcome, CheckResult, worst

MAX_ROWS = 1000  # per check: a check is a report, not an export
REQUIRED = ("status", "name", "detail")
VERDICTS = ("PASS", "WARN", "FAIL")


def rows_to_outcome(check: CheckFile, columns: list[str] | None, rows: list[tuple[Any, ...]],
                     ms: float) -> CheckOutcome:
    if columns is None:
        return error_outcome(check, CheckFault(
            "the statement returned no rows at all (not a query?). A check is one SELECT "
            "returning the columns status, name and detail."), ms)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        return error_outcome(check, CheckFault(
            f"the query's result lacks the column(s) {', '.join(missing)} (it has "
            f"{', '.join(columns) or 'none'}). Return status, name and detail, e.g. "
            "SELECT 'FAIL' AS status, 'orders.total' AS name, 'negative totals' AS detail ..."),
            ms)
    index = {name: columns.index(name) for name in REQUIRED}
    extra_cols = [(i, c) for i, c in enumerate(columns) if c not in REQUIRED]
    results = []
    for n, row in enumerate(rows[:MAX_ROWS], start=1):
        raw = row[index["status"]]
        status = raw.strip().upper() if isinstance(raw, str) else None
        if status not in VERDICTS:
            return error_outcome(check, CheckFault(
                f"row {n}: status {raw!r} is not PASS, WARN or FAIL (case does not matter)."),
                ms)
        name, detail = row[index["name"]], row[index["detail"]]
        results.append(CheckResult(
            check=check.name, file=check.relpath,
            name=check.name if name is None else str(name),
            status=status, detail="" if detail is None else str(detail),
            extra={c: plain(row[i]) for i, c in extra_cols}, duration_ms=ms,
        ))
    if len(rows) > MAX_ROWS:
        results.append(CheckResult(
            check.name, check.relpath, f"{check.name}: more than {MAX_ROWS} rows", "WARN",
            f"the check returned more than {MAX_ROWS} rows; only the first {MAX_ROWS} are "
            "reported. Aggregate them (count(*), array_agg(...)[1:5]) into fewer rows.",
            duration_ms=ms,
        ))
    if not results:
        results.append(CheckResult(check.name, check.relpath, check.name, "PASS",
                                   check.description or "nothing found", duration_ms=ms))
    return make_outcome(check, results, ms)


def make_outcome(check: CheckFile, results: list[CheckResult], ms: float,
             error: CheckFault | None = None) -> CheckOutcome:
    return CheckOutcome(
        check=check.name, file=check.relpath, description=check.description, tags=check.tags,
        status=worst([r.status for r in results]), duration_ms=ms, results=results, error=error,
    )


def error_outcome(check: CheckFile, error: CheckFault, ms: float) -> CheckOutcome:
    where = f"{check.relpath}:{error.line}:{error.column}: " if error.line else ""
    state = f" ({error.sqlstate})" if error.sqlstate else ""
    result = CheckResult(check.name, check.relpath, check.name, "ERROR",
                         f"{where}{error.message}{state}", duration_ms=ms)
    return make_outcome(check, [result], ms, error)


def server_error(check: CheckFile, exc: Exception) -> CheckFault:
    diag = getattr(exc, "diag", None)
    sqlstate = getattr(exc, "sqlstate", None)
    message = (diag.message_primary if diag is not None else None) or str(exc).strip()
    if sqlstate == "57014":
        timeout_ms = check.timeout_ms
        message += (f" (the check's timeout is {timeout_ms} ms)" if timeout_ms else
                    " (raise it with `-- sqlmig: timeout 2min` in the file, or --timeout)")
    elif sqlstate == "25006":
        message += " (checks run in READ ONLY transactions: a check must not write)"
    if diag is not None and diag.message_hint:
        message += f". Hint: {diag.message_hint}"
    position = None
    if diag is not None and diag.statement_position:
        try:
            position = int(diag.statement_position)
        except ValueError:
            position = None
    loc = query_location(check, position)
    return CheckFault(message, sqlstate, *(loc or (None, None)))


def plain(value: Any) -> Any:
    """A JSON-friendly form of a value from the server (for ``extra`` columns)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime, date, dtime)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, UUID):
        return str(value)
    return str(value)


def jsonb(value: Any) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(value)
