"""The one exception tree of stridelab.

Every error a user can cause is a :class:`StridelabError`. Its message says what
is wrong *and what to do*; the CLI prints it as one line on stderr (exit code 2).
These are library errors: they know nothing of HTTP. The web app maps the tree to
statuses in one table (:data:`stridelab.web.error_pages.HTTP_STATUS`).

::

    StridelabError
    ├── InputError                 bad argument: a time, distance, date or option
    │   └── UnitParseError         "25:3x" is not a time, "5 parsecs" is not a distance
    ├── PhysiologyError            a model asked outside its valid range
    ├── PlanError                  no safe plan exists for these inputs
    │   ├── PlanRefusal            ... and here are the options checked to work
    │   └── ExportError            a plan could not be written as ICS / FIT / Markdown
    ├── ActivityFileError          a watch file could not be read (carries path, offset)
    │   ├── UnsupportedFormatError not FIT / TCX / GPX / a known archive
    │   ├── FitDecodeError         bad FIT header, truncated data, undefined message
    │   │   └── FitCrcError        the file's CRC does not match its bytes
    │   ├── XmlActivityError       malformed TCX / GPX
    │   └── EmptyActivityError     a valid file with no samples to analyse
    ├── PoseError                  a video could not be analysed
    │   ├── VideoFileError         not a video, corrupt, unreadable
    │   ├── NoPersonDetected       nobody in view long enough
    │   └── ClipTooShort           too few frames for the requested measure
    ├── StoreError                 the SQLite store could not be read or written
    ├── MissingExtraError          an optional part is not installed (names the extra)
    ├── ComputeError               a worker process or the Dask cluster failed
    ├── NotFoundError              no such run, activity, plan session, job (a missing row)
    └── WebError                   web-app refusals (auth, limits)
        ├── AuthError              not signed in, or wrong password
        │   └── ForbiddenError     signed in, but not allowed: other athlete, bad CSRF
        ├── PayloadTooLargeError   an upload over the size limit
        └── TooManyAttemptsError   sign-in throttled after repeated failures
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

__all__ = [
    "ActivityFileError",
    "AuthError",
    "ClipTooShort",
    "ComputeError",
    "EmptyActivityError",
    "ExportError",
    "FitCrcError",
    "FitDecodeError",
    "ForbiddenError",
    "InputError",
    "MissingExtraError",
    "NoPersonDetected",
    "NotFoundError",
    "PayloadTooLargeError",
    "PhysiologyError",
    "PlanError",
    "PlanRefusal",
    "PoseError",
    "StoreError",
    "StridelabError",
    "TooManyAttemptsError",
    "UnitParseError",
    "UnsupportedFormatError",
    "VideoFileError",
    "WebError",
    "XmlActivityError",
]


class StridelabError(Exception):
    """Root of every error stridelab raises on purpose.

    ``hint`` is the "what to do" sentence; it is appended to the message.
    """

    exit_code: int = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.hint:
            return (
                f"{self.message}. {self.hint}"
                if not self.message.endswith(".")
                else (f"{self.message} {self.hint}")
            )
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take their own arguments; rebuild from the state instead, so an error
        # raised in a worker process or on a Dask worker arrives whole.
        return (_rebuild, (type(self), self.args, self.__dict__.copy()))


def _rebuild(
    kind: type[StridelabError], args: tuple[Any, ...], state: dict[str, Any]
) -> StridelabError:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


class InputError(StridelabError):
    """A command-line or API argument is invalid."""


class UnitParseError(InputError):
    """A time, pace or distance string could not be parsed."""

    def __init__(self, text: str, what: str, example: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a valid {what}", hint=f"Write it like {example}.")


class PhysiologyError(StridelabError):
    """A physiological model was asked outside the range it is valid for."""


class PlanError(StridelabError):
    """No plan satisfying the safety rules exists for these inputs."""


class PlanRefusal(PlanError):
    """No safe plan fits the weeks given. ``earliest_race_date`` and ``shorter_goal_m`` are
    options for which a whole plan was built (``None`` where none was); the hint names them
    (and a higher ``--max-ramp`` when that alone makes the weekly volumes feasible)."""

    def __init__(
        self,
        message: str,
        *,
        hint: str,
        earliest_race_date: date | None = None,
        shorter_goal_m: float | None = None,
    ) -> None:
        self.earliest_race_date = earliest_race_date
        self.shorter_goal_m = shorter_goal_m
        super().__init__(message, hint=hint)


class ExportError(PlanError):
    """A plan could not be exported."""


class ActivityFileError(StridelabError):
    """A watch file could not be read. Carries the path and, for binary formats, the offset."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        offset: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.offset = offset
        where = ""
        if self.path is not None:
            where = f"{self.path}: "
        if offset is not None:
            message = f"{message} (at byte {offset})"
        super().__init__(where + message, hint=hint)


class UnsupportedFormatError(ActivityFileError):
    """The file is not FIT, TCX, GPX, gzip of those, or a known export archive."""


class FitDecodeError(ActivityFileError):
    """The FIT byte stream is malformed."""


class FitCrcError(FitDecodeError):
    """The FIT file's CRC does not match its content."""


class XmlActivityError(ActivityFileError):
    """A TCX or GPX file is not well-formed or lacks required elements."""


class EmptyActivityError(ActivityFileError):
    """The file is valid but holds no samples to analyse."""


class MissingExtraError(StridelabError):
    """An optional part (web app, drill check, cluster) is used but its extra is not installed.

    ``extra`` is the name to install: ``pip install 'stridelab[EXTRA]'``.
    """

    def __init__(self, message: str, *, extra: str, hint: str | None = None) -> None:
        self.extra = extra
        super().__init__(message, hint=hint)


class PoseError(StridelabError):
    """A video could not be analysed for pose."""


class VideoFileError(PoseError):
    """The file is not a readable video."""


class NoPersonDetected(PoseError):
    """No person was found in enough frames."""


class ClipTooShort(PoseError):
    """The clip has too few frames or steps for the requested measure."""


class StoreError(StridelabError):
    """The SQLite store could not be read or written."""


class ComputeError(StridelabError):
    """A worker process died, or the Dask cluster could not be reached or lost the work."""


class WebError(StridelabError):
    """A refusal by the web app (limits, bad upload)."""


class AuthError(WebError):
    """Authentication or authorisation failed."""


class ForbiddenError(AuthError):
    """Signed in, but not allowed: another athlete's data, or a form without a valid CSRF token."""


class NotFoundError(StridelabError):
    """The requested run, activity, plan session or job does not exist (or is not yours).

    A domain error: a missing row, not a broken store (that is :class:`StoreError`).
    """


class PayloadTooLargeError(WebError):
    """An upload is larger than the configured limit."""


class TooManyAttemptsError(WebError):
    """Too many failed sign-ins for one account or from one client; wait, then retry."""
