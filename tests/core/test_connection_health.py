"""A database connection cut between requests does not turn the next request into a 500."""

from __future__ import annotations

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _get(path: str) -> int:
    """Through the real WSGI handler: the test client skips the connection checks."""
    statuses = []
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="cuts a PostgreSQL backend")
def test_a_cut_connection_is_replaced_before_the_next_request(monkeypatch):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    monkeypatch.setitem(
        connection.settings_dict,
        "CONN_HEALTH_CHECKS",
        settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    )
    connection.close()
    assert _get("/en/ideas/") == 200
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert _get("/en/ideas/") == 200
    connection.close()
