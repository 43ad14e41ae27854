"""`kbviewer export`: a note as one HTML file (parsed here) or a PDF, from the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")


def kbviewer(*args, env=None):
    return subprocess.run([sys.executable, "-m", "viewer", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env)


class Page(HTMLParser):
    """What a browser would fetch or run: every src and href, scripts, styles, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text.append(data)


def parse(path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def pdf_title(data: bytes) -> str:
    """The /Title of a PDF's information dictionary (Qt writes it as UTF-16 with a BOM)."""
    match = re.search(rb"/Title \(((?:\\.|[^\\)])*)\)", data, re.S)
    assert match, "no /Title in the PDF"
    raw = re.sub(rb"\\(.)", lambda m: m.group(1), match.group(1), flags=re.S)
    return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


def test_export_html_is_one_self_contained_file(small_kb, tmp_path):
    (small_kb / "pic.png").write_bytes(PNG)
    note = small_kb / "alpha.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n![a dot](pic.png)\n", encoding="utf-8")
    out = tmp_path / "alpha.html"
    result = kbviewer("export", "Alpha Agency", "--format", "html", "-o", str(out),
                      "--kb", str(small_kb), "--store", str(tmp_path / "s.json"))
    assert result.returncode == 0, result.stderr
    page = parse(out)
    assert page.title == "Alpha Agency"
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert [img["src"][:22] for img in images] == ["data:image/png;base64,"]
    assert not [t for t, _ in page.tags if t in ("script", "link", "iframe")]
    assert not [a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith(("note:", "tag:"))]
    text = " ".join(" ".join(page.text).split())
    assert "Alpha took part in the event" in text and "Sources" in text and "The Paper" in text


def test_export_pdf_holds_the_note_and_its_title(small_kb, tmp_path):
    out = tmp_path / "event.pdf"
    result = kbviewer("export", "the-event", "--format", "pdf", "-o", str(out),
                      "--kb", str(small_kb), "--store", str(tmp_path / "s.json"))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 1
    assert pdf_title(data) == "The Event"
    assert not list(tmp_path.glob(".*partial"))


def test_export_format_follows_the_suffix(small_kb, tmp_path):
    out = tmp_path / "paper.pdf"
    result = kbviewer("export", "paper", "-o", str(out), "--kb", str(small_kb), "--store", str(tmp_path / "s.json"))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-") and pdf_title(out.read_bytes()) == "The Paper"


def test_export_of_an_unknown_note_is_a_one_line_error(small_kb, tmp_path):
    out = tmp_path / "x.html"
    result = kbviewer("export", "nobody", "-o", str(out), "--kb", str(small_kb), "--store", str(tmp_path / "s.json"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == ("kbviewer: error: no note named 'nobody' "
                                                      "(try an id, a title or an alias)")
    assert not out.exists()


def test_pdf_export_without_qt_is_a_one_line_error(small_kb, tmp_path):
    code = ("import sys; sys.modules['PySide6'] = None; from viewer.cli import main; "
            f"sys.exit(main(['export', 'paper', '--format', 'pdf', '-o', {str(tmp_path / 'p.pdf')!r}, "
            f"'--kb', {str(small_kb)!r}, '--store', {str(tmp_path / 's.json')!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kbviewer: error: PDF export needs Qt (PySide6)"), result.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_html_export_does_not_load_qt(small_kb, tmp_path):
    out = tmp_path / "a.html"
    code = ("import sys; sys.modules['PySide6'] = None; from viewer.cli import main; "
            f"sys.exit(main(['export', 'alpha', '-o', {str(out)!r}, "
            f"'--kb', {str(small_kb)!r}, '--store', {str(tmp_path / 's.json')!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert parse(out).title == "Alpha Agency"
