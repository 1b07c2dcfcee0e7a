"""依申请公开 domain core: statutory clocks, the event timeline, outcomes, fees and tables 三/四.

Plain Python (never Django). What other packages may import:
"""

from gongkai.foi.deadlines import (
    CONSULTATION_DAYS,
    CORRECTION_NOTICE_DAYS,
    FEE_PAYMENT_DAYS,
    MAX_EXTENSION,
    REPLY_DAYS,
    Channel,
    Due,
    FoiError,
    chinese_date,
    compute_due,
    consultation_limit,
    correction_notice_due,
    fee_payment_due,
    receipt_date,
)
from gongkai.foi.fees import by_volume_fee, per_request_rate, per_request_total
from gongkai.foi.outcomes import (
    APPLICANT_TYPES,
    CASE_KINDS,
    CASE_RESULTS,
    OUTCOMES,
    T3_COLUMNS,
    T3_ROWS,
    T4_KEYS,
    Outcome,
)
from gongkai.foi.tables import AppRecord, CaseRecord, tables_from_counts, tables_from_records
from gongkai.foi.timeline import EVENT_KINDS, STATES, Event, Status, evaluate

__all__ = [
    "APPLICANT_TYPES",
    "CASE_KINDS",
    "CASE_RESULTS",
    "CONSULTATION_DAYS",
    "CORRECTION_NOTICE_DAYS",
    "EVENT_KINDS",
    "FEE_PAYMENT_DAYS",
    "MAX_EXTENSION",
    "OUTCOMES",
    "REPLY_DAYS",
    "STATES",
    "T3_COLUMNS",
    "T3_ROWS",
    "T4_KEYS",
    "AppRecord",
    "CaseRecord",
    "Channel",
    "Due",
    "Event",
    "FoiError",
    "Outcome",
    "Status",
    "by_volume_fee",
    "chinese_date",
    "compute_due",
    "consultation_limit",
    "correction_notice_due",
    "evaluate",
    "fee_payment_due",
    "per_request_rate",
    "per_request_total",
    "receipt_date",
    "tables_from_counts",
    "tables_from_records",
]
