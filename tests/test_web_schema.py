"""Schemathesis against the app's OpenAPI schema: whatever it sends, no 5xx.

Unsafe routes answer 403 without a CSRF token, so the property also covers the
refusal path; the GET twins get generated ids, query values and paths.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from web_support import make_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from schemathesis.checks import not_a_server_error

# Built at import: schemathesis parametrizes from the schema at collection time.
_FOLDER = Path(tempfile.mkdtemp(prefix="stridelab-schema-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)
schema = schemathesis.openapi.from_asgi("/openapi.json", make_app(_FOLDER, seed_sample_data=True))


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
