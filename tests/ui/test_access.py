"""Who may reach the UI: this machine only, unless logins are set (or --no-auth says otherwise)."""

import pytest

from kb.cli import main
from tests.ui.conftest import running_server
from ui.access import AccessError, credentials, login_for, parse_credentials


def test_credentials_come_from_the_environment_and_a_file(tmp_path):
    f = tmp_path / "logins"
    f.write_text("# trainers\nana:pa:ss:word\n\nluis:secret\n", encoding="utf-8")
    assert credentials("admin:x", str(f)) == [("admin", "x"), ("ana", "pa:ss:word"), ("luis", "secret")]
    with pytest.raises(AccessError, match="line 1"):
        parse_credentials("no-colon-here")
    with pytest.raises(AccessError, match="does not exist"):
        credentials("", str(tmp_path / "missing"))


def test_only_this_machine_is_served_without_a_login():
    assert login_for("127.0.0.1", []) is None and login_for("localhost", []) is None
    assert login_for("0.0.0.0", [("a", "b")]) == [("a", "b")]
    assert login_for("0.0.0.0", [], no_auth=True) is None
    with pytest.raises(AccessError, match="KB_AUTH"):
        login_for("0.0.0.0", [])


def test_kb_serve_on_the_network_without_a_login_refuses_and_says_what_to_do(tmp_path, capsys):
    assert main(["serve", "--data-dir", str(tmp_path / "data"), "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "KB_AUTH" in err and "--no-auth" in err and "Traceback" not in err


def test_a_login_is_asked_for_when_logins_are_set(corpus_data_dir, page):
    with running_server(corpus_data_dir, {"KB_AUTH": "trainer:s3cret"}) as url:
        page.goto(url)
        page.get_by_label("username").fill("trainer")
        page.get_by_label("password").fill("wrong")
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Incorrect Credentials").wait_for()
        page.get_by_label("username").fill("trainer")
        page.get_by_label("password").fill("s3cret")
        page.get_by_role("button", name="Login").click()
        page.get_by_role("button", name="Ask").wait_for()
