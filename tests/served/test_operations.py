"""Operations under the real `observatoire serve` (two workers): JSON log lines with request ids, metrics summed
over both workers, `/healthz`."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor

import requests


def test_logs_are_json_and_metrics_count_every_worker(served):
    server = served()

    def fetch(n: int) -> str:
        answer = requests.get(server.url + ("/actions/" if n % 2 else "/carte"), timeout=30,
                              headers={"X-Request-Id": f"essai-{n:04d}-abcdef"})
        assert answer.status_code == 200
        return answer.headers["X-Request-Id"]

    with ThreadPoolExecutor(6) as pool:  # six at a time: both workers answer
        ids = list(pool.map(fetch, range(24)))
    assert ids == [f"essai-{n:04d}-abcdef" for n in range(24)]
    health = requests.get(server.url + "/healthz", timeout=30)
    assert health.status_code == 200 and health.json()["database"] == "ok"

    metrics = requests.get(server.url + "/metrics", timeout=30).text
    counts = {route: float(value) for route, value in re.findall(
        r'observatoire_request_seconds_count\{method="GET",route="([^"]+)",status="200"\} (\S+)', metrics)}
    assert counts["/actions/"] == 12 and counts["/carte"] == 12  # whichever worker answered each
    assert "observatoire_index_lag 0.0" in metrics

    server.stop()
    lines = [json.loads(line) for line in server.log().splitlines() if line.strip()]
    access = [line for line in lines if line["logger"] == "kb.access"]
    assert {line["request_id"] for line in access} >= set(ids)
    assert len({line["pid"] for line in access}) == 2  # both workers served, and both logged as JSON
    first = next(line for line in access if line["request_id"] == ids[0])
    assert (first["route"], first["status"], first["method"]) == ("/carte", 200, "GET") and first["duration_ms"] > 0
    assert not [line for line in lines if line["level"] == "error"]
