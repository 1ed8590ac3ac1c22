"""What every survey service shares: limits, the errors a user reads, the definition check."""
from __future__ import annotations

from pathlib import Path

from chiso.common.errors import ServiceError
from chiso.core import questionnaire as qdef

BUNDLED = Path(__file__).resolve().parents[2] / "data" / "surveys"
MAX_TOKENS_PER_BATCH = 600  # 50 printed pages of 12
MAX_INVITES = 500
MAX_SERIAL = 32


class AnswerErrors(ServiceError):
    """A form with wrong or missing answers: `errors` maps question codes to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(f"Phiếu chưa được gửi: còn {len(errors)} câu cần xem lại.", details=list(errors.values()))
        self.errors = errors


class Refused(ServiceError):
    """A token that cannot be used (spent, unknown, campaign closed): nothing was stored."""


def _check_definition(definition) -> qdef.Definition:
    try:
        return qdef.validate(definition)
    except qdef.DefinitionError as exc:
        raise ServiceError(f"Phiếu khảo sát chưa hợp lệ: có {len(exc.problems)} lỗi.", details=exc.problems) from None
