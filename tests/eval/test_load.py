"""The load test, reduced but real: locust users against a real `kb serve` while `kb index` adds a
document in another process; no question fails and the server picks up the new generation without a
restart. The full 20 users × 50 questions run is the committed benchmark (eval/reports/load)."""

import json
import shutil

from eval.load import main


def test_users_ask_while_a_document_is_added(corpus_data_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(corpus_data_dir, data)
    assert main(["--users", "4", "--questions", "5", "--workers", "4", "--live-update", "--data-dir", str(data),
                 "--out", str(tmp_path / "out")]) == 0
    run = json.loads((tmp_path / "out" / "load.json").read_text())["runs"][0]
    assert run["questions"] >= 20 and run["failures"] == 0
    update = run["live_update"]
    assert update["index_exit_code"] == 0 and update["switched_during_load"] and update["new_document_cited"]
    assert update["generation_after"] != update["generation_before"] and update["reloads"] >= 1
