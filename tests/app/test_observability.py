"""Operations: request ids, JSON log lines, `/healthz` for a load balancer and Prometheus `/metrics`."""

from __future__ import annotations

import json
import logging

from kb import create_app
from kb.observability import JsonFormatter


def test_every_answer_carries_a_request_id_a_proxy_may_give(client):
    generated = client.get("/").headers["X-Request-Id"]
    assert len(generated) == 32 and generated != client.get("/").headers["X-Request-Id"]
    assert client.get("/", headers={"X-Request-Id": "lb-0123456789"}).headers["X-Request-Id"] == "lb-0123456789"
    for forged in ("court", "a" * 65, "x\\ny-0123456789", "<script>-0123"):
        assert client.get("/", headers={"X-Request-Id": forged}).headers["X-Request-Id"] != forged
    assert client.get("/page-inexistante").headers["X-Request-Id"]


def test_log_lines_are_json_with_the_request_id(app):
    formatter = JsonFormatter()
    with app.test_request_context("/actions/", headers={"X-Request-Id": "req-abcdef12"}):
        app.preprocess_request()
        record = logging.LogRecord("kb.access", logging.INFO, __file__, 1, "GET %s %s", ("/actions/", 200), None)
        record.status, record.duration_ms = 200, 12.5
        line = json.loads(formatter.format(record))
    assert line["request_id"] == "req-abcdef12" and line["message"] == "GET /actions/ 200"
    assert (line["level"], line["logger"], line["status"], line["duration_ms"]) == ("info", "kb.access", 200, 12.5)
    try:
        raise ValueError("panne")
    except ValueError:
        import sys

        record = logging.LogRecord("kb", logging.ERROR, __file__, 1, "échec", (), sys.exc_info())
    line = json.loads(formatter.format(record))
    assert "request_id" not in line and "ValueError: panne" in line["exception"]


def test_healthz_says_whether_the_database_answers(app, client, tmp_path):
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert answer.get_json() == {"status": "ok", "database": "ok", "index_lag": 0, "mail_queue": 0}
    down = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path / "down"), "SECRET_KEY": "t",
                       "DATABASE_URL": "postgresql+psycopg://kb@127.0.0.1:9/absente", "INDEX_DIR": str(tmp_path / "i")})
    answer = down.test_client().get("/healthz")
    assert answer.status_code == 503 and answer.get_json() == {"status": "error", "database": "unreachable"}


def test_healthz_counts_the_changes_the_index_has_not_applied(app, client, session, make):
    make.action(title="Atelier cuisine partagée")
    session.commit()  # outside a request: nothing drained it yet
    assert client.get("/healthz").get_json()["index_lag"] >= 1


def test_metrics_time_requests_by_route_for_the_machine_or_a_token(app, client):
    client.get("/actions/")
    page = client.get("/metrics")
    assert page.status_code == 200 and page.mimetype == "text/plain"
    text = page.get_data(as_text=True)
    assert 'observatoire_request_seconds_count{method="GET",route="/actions/",status="200"}' in text
    assert "observatoire_index_lag 0.0" in text and "observatoire_database_up 1.0" in text
    assert "observatoire_mail_queue 0.0" in text
    remote = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics", environ_base=remote).status_code == 403
    app.config["METRICS_TOKEN"] = "jeton-de-supervision"
    assert client.get("/metrics").status_code == 401  # with a token, the machine needs it too
    assert client.get("/metrics", environ_base=remote, headers={"Authorization": "Bearer faux"}).status_code == 401
    allowed = client.get("/metrics", environ_base=remote, headers={"Authorization": "Bearer jeton-de-supervision"})
    assert allowed.status_code == 200 and "observatoire_request_seconds" in allowed.get_data(as_text=True)


def test_clients_cannot_add_time_series_nor_put_link_secrets_in_the_logs(client, caplog):
    client.open("/", method="XMETHODE")
    client.open("/", method="AUTRE")
    text = client.get("/metrics").get_data(as_text=True)
    assert "XMETHODE" not in text and 'method="other"' in text
    with caplog.at_level(logging.INFO, logger="kb.access"):
        client.get("/compte/reinitialiser/un-jeton-secret-de-reinitialisation")
        client.get("/compte/inscription/confirmer/un-jeton-secret-d-inscription")
    paths = [record.path for record in caplog.records if record.name == "kb.access"]
    assert paths == ["/compte/reinitialiser/<token>", "/compte/inscription/confirmer/<token>"]
    assert "secret" not in caplog.text
