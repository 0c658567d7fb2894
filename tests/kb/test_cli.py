"""`kb` end to end on the built corpus: the user paths of issue 2."""

import json
import subprocess
import sys
from pathlib import Path

from kb.cli import main

REPO = Path(__file__).resolve().parents[2]


def run_json(capsys, *argv) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_chile_question_finds_box_5_2_in_top_3(corpus_data_dir, capsys):
    out = run_json(capsys, "ask", "--data-dir", str(corpus_data_dir), "--json", "--k", "3",
                   "How does Chile train and certify its procurement workforce?")
    assert "5.2" in [p["box_id"] for p in out["passages"]]


def test_innovation_olympics_returns_box_9_3_first_with_citation(corpus_data_dir, capsys):
    out = run_json(capsys, "ask", "--data-dir", str(corpus_data_dir), "--json", "What are the IMSS Innovation Olympics?")
    first = out["passages"][0]
    assert first["box_id"] == "9.3" and "Box 9.3. IMSS’s Innovation Olympics" in first["citation"]
    for key in ("id", "text", "score", "citation", "doc_id", "chapter", "section", "countries", "page", "kind"):
        assert key in first


def test_filters_restrict_results(corpus_data_dir, capsys):
    out = run_json(capsys, "ask", "--data-dir", str(corpus_data_dir), "--json", "--country", "Norway",
                   "How can procurement support innovation?")
    assert out["passages"] and all("Norway" in p["countries"] for p in out["passages"])
    out = run_json(capsys, "ask", "--data-dir", str(corpus_data_dir), "--json", "--doc", "imss-2013-chapter-05-capability",
                   "training")
    assert out["passages"] and all(p["chapter"] == "5" for p in out["passages"])
    out = run_json(capsys, "ask", "--data-dir", str(corpus_data_dir), "--json", "Kaufmann Valuing Health Care")
    assert all(p["kind"] not in ("references", "notes", "citation") for p in out["passages"])


def test_empty_question_gets_a_message_not_a_traceback(corpus_data_dir, capsys):
    assert main(["ask", "--data-dir", str(corpus_data_dir), "   "]) == 2
    err = capsys.readouterr().err
    assert "question is empty" in err and "Traceback" not in err


def test_index_is_a_noop_when_nothing_changed(corpus_data_dir, capsys):
    out = run_json(capsys, "index", "--data-dir", str(corpus_data_dir), "--json")
    assert out["noop"] and out["ok"] and out["passages"] > 100


def test_console_script_and_help():
    kb = Path(sys.executable).with_name("kb")
    done = subprocess.run([str(kb), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for command in ("index", "ask", "serve", "eval", "remove", "sources"):
        assert command in done.stdout


def test_index_reports_bad_path_with_exit_code(isolated_env, capsys, monkeypatch):
    src = isolated_env / "docs"
    src.mkdir()
    (src / "ok.md").write_text("Procurement officials need training.\n")
    monkeypatch.setenv("KB_CORPUS_DIR", str(src))
    assert main(["index", "--json", str(isolated_env / "missing.pdf")]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any("no such file" in e["reason"] for e in report["errors"])


def test_spanish_question_finds_the_chile_box(corpus_data_dir, capsys):
    out = run_json(capsys, "ask", "--data-dir", str(corpus_data_dir), "--json", "--k", "3",
                   "¿Cómo capacita y certifica Chile a sus compradores públicos?")
    assert out["lang"] == "es"
    assert "5.2" in [p["box_id"] for p in out["passages"]]
    assert "ml" in out["passages"][0]["scores"]  # the cross-lingual encoder took part


def test_a_spanish_answer_is_framed_in_spanish_around_the_english_quotes(corpus_data_dir, capsys):
    assert main(["ask", "--data-dir", str(corpus_data_dir), "--k", "3",
                 "¿Qué propone la OCDE para reducir la rotación de personal?"]) == 0
    out = capsys.readouterr().out
    assert "Certifying procurement officials to reduce turnover" in out  # the quote stays verbatim English
    assert "Sus términos en las citas:" in out and "rotación de personal → staff turnover" in out
    assert "Fuentes:" in out and "Sources:" not in out


def test_pack_from_questions_and_feedback_listing(corpus_data_dir, tmp_path, capsys):
    questions = tmp_path / "q.txt"
    questions.write_text("# workshop 1\nHow does Chile train and certify its procurement workforce?\n", encoding="utf-8")
    out = tmp_path / "pack.md"
    assert main(["pack", "--data-dir", str(corpus_data_dir), "--questions", str(questions), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Box 5.2" in text and "OECD" in text
    assert main(["pack", "--data-dir", str(corpus_data_dir), "--questions", str(questions), "--out", str(out),
                 "--lang", "es"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Paquete de taller")
    assert main(["feedback", "--data-dir", str(tmp_path / "empty"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == []
