"""Uploads land in <data_dir>/uploads under a safe name, after server-side type and size checks."""

import pytest

from ui.uploads import UploadError, safe_name, save_upload


def test_names_lose_folders_dots_and_odd_characters():
    assert safe_name("../../etc/passwd.md") == "passwd.md"
    assert safe_name("C:\\Users\\x\\Revisión OCDE (2018).PDF") == "Revision_OCDE_2018.pdf"
    assert safe_name(".hidden.txt") == "hidden.txt"
    assert safe_name("<img src=x onerror=alert(1)>.html") == "img_src_x_onerror_alert_1.html"
    assert safe_name("....") == "upload"


def test_a_valid_upload_is_copied_into_the_uploads_folder(tmp_path):
    src = tmp_path / "in" / "My Notes.md"
    src.parent.mkdir()
    src.write_text("# Notes\n\nText.", encoding="utf-8")
    dest = save_upload(src, tmp_path / "data", "../../My Notes.md")
    assert dest == (tmp_path / "data" / "uploads" / "My_Notes.md").resolve()
    assert dest.read_text(encoding="utf-8") == "# Notes\n\nText."


@pytest.mark.parametrize("name, content, message", [
    ("tool.exe", b"MZ", "unsupported file type"),
    ("empty.txt", b"", "empty"),
    ("big.txt", b"x" * 2048, "limit is"),
])
def test_wrong_type_empty_or_too_large_uploads_are_refused(tmp_path, name, content, message):
    src = tmp_path / name
    src.write_bytes(content)
    with pytest.raises(UploadError, match=message):
        save_upload(src, tmp_path / "data", name, max_bytes=1024)
    assert not (tmp_path / "data" / "uploads").exists() or not any((tmp_path / "data" / "uploads").iterdir())
