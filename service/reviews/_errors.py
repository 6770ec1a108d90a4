"""The review record's errors: one base class, and one subclass per answer the HTTP service gives.

Each carries a machine ``code`` (stable, English) and a Chinese message (``str(error)``) that says what went
wrong and, where there is one, what to do about it; commands print the message, the API returns both.
"""

from __future__ import annotations


class ReviewError(Exception):
    """Anything the review record cannot do: a bad database address, an unreachable server, a failed write."""

    code = "database_unavailable"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReviewAuthError(ReviewError):
    """A missing, unknown or revoked reviewer token (HTTP 401)."""

    code = "unauthorized"


class ReviewForbiddenError(ReviewError):
    """A reviewer acting on another reviewer's entry (HTTP 403)."""

    code = "forbidden"


class ReviewNotFoundError(ReviewError):
    """No such entry or reviewer (HTTP 404)."""

    code = "not_found"


class ReviewInputError(ReviewError):
    """A decision or reviewer that cannot be recorded as given: bad verdict, empty or overlong text (HTTP 400)."""

    code = "invalid_review"
