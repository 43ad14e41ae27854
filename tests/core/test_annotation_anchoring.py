"""Finding a passage again after the note changed: shifted, edited, gone."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core.annotations import ANCHORED, ORPHANED, Annotation, AnnotationId, find_quote, place, reanchor
from viewer.core.annotations.anchoring import selectors
from viewer.core.model import NoteId

TEXT = (
    "Clearview AI in Canada\n"
    "From December 2019, officers of the Ontario Provincial Police used a free online trial of "
    "Clearview AI. They worked in the units dealing with child sexual exploitation and cyber crime.\n"
    "On 18 January 2020 The New York Times published an investigation of the company.\n"
    "The privacy commissioners later opened a joint investigation into the company's practices."
)
PASSAGE = "used a free online trial of Clearview AI"


def annotate(text: str, passage: str, occurrence: int = 0) -> Annotation:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    exact, prefix, suffix = selectors(text, start, start + len(passage))
    return Annotation(AnnotationId("a1"), NoteId("n"), exact, prefix, suffix, start, start + len(passage),
                      comment="c", tags=("t",))


def test_selectors_keep_32_characters_of_context():
    a = annotate(TEXT, PASSAGE)
    assert TEXT[a.start:a.end] == PASSAGE
    assert a.prefix == TEXT[a.start - 32:a.start] and a.suffix == TEXT[a.end:a.end + 32]
    assert len(a.prefix) == len(a.suffix) == 32


def test_unchanged_text_changes_nothing():
    a = annotate(TEXT, PASSAGE)
    assert reanchor(a, TEXT) is a


def test_insertion_before_the_passage_moves_it():
    a = annotate(TEXT, PASSAGE)
    inserted = "A new first paragraph, added by the author.\n"
    text = inserted + TEXT
    b = reanchor(a, text)
    assert b.status == ANCHORED
    assert (b.start, b.end) == (a.start + len(inserted), a.end + len(inserted))
    assert text[b.start:b.end] == PASSAGE and b.comment == "c" and b.tags == ("t",)


def test_insertion_right_before_the_passage_changes_its_prefix():
    a = annotate(TEXT, PASSAGE)
    text = TEXT.replace("Police used", "Police, in several units, used")
    b = reanchor(a, text)
    assert text[b.start:b.end] == PASSAGE and b.status == ANCHORED
    assert b.prefix == text[b.start - 32:b.start] != a.prefix


def test_the_copy_with_the_right_context_wins_over_a_nearer_one():
    a = annotate(TEXT, PASSAGE)
    decoy = f"Elsewhere a detective {PASSAGE} once, for a week.\n"
    text = TEXT.replace("On 18 January", decoy + "On 18 January")
    b = reanchor(a, text)
    assert b.start == text.index(PASSAGE) and b.start < text.index(decoy)


def test_an_edit_inside_the_passage_is_followed():
    a = annotate(TEXT, PASSAGE)
    text = "Preface.\n" + TEXT.replace("free online trial", "complimentary online trial")
    b = reanchor(a, text)
    assert b.status == ANCHORED
    assert text[b.start:b.end] == "used a complimentary online trial of Clearview AI"
    assert b.exact == text[b.start:b.end] and b.prefix == a.prefix


def test_small_edits_at_both_ends_are_followed():
    a = annotate(TEXT, PASSAGE)
    text = TEXT.replace("used a free online trial of Clearview AI", "had a free online trial of Clearview A.I.")
    b = reanchor(a, text)
    assert b.status == ANCHORED
    assert text[b.start:b.end] in ("had a free online trial of Clearview A.I",
                                   "had a free online trial of Clearview A.I.")


def test_a_deleted_passage_is_orphaned_and_keeps_its_selectors():
    a = annotate(TEXT, PASSAGE)
    text = TEXT.replace("officers of the Ontario Provincial Police used a free online trial of Clearview AI. ", "")
    b = reanchor(a, text)
    assert b.status == ORPHANED
    assert (b.exact, b.prefix, b.suffix, b.start, b.end) == (a.exact, a.prefix, a.suffix, a.start, a.end)
    assert reanchor(b, text) is b  # no change the second time


def test_a_rewritten_passage_is_orphaned():
    a = annotate(TEXT, PASSAGE)
    text = TEXT.replace(PASSAGE, "tested a facial recognition product for some weeks")
    assert reanchor(a, text).status == ORPHANED


def test_a_deleted_passage_is_not_moved_to_a_paraphrase_elsewhere():
    a = annotate(TEXT, PASSAGE)
    text = TEXT.replace("From December 2019, officers of the Ontario Provincial Police " + PASSAGE + ". ", "")
    text += "\nMonths later a few detectives in Toronto had a free online test of Clearview AI as well.\n"
    assert reanchor(a, text).status == ORPHANED  # 85% like the quote, but nothing around it agrees


def test_a_short_quote_is_not_moved_to_another_place_it_occurs():
    a = annotate(TEXT, "Clearview AI", occurrence=1)  # the one in the second paragraph
    text = TEXT.replace("used a free online trial of Clearview AI. They", "They")
    assert "Clearview AI" in text
    assert reanchor(a, text).status == ORPHANED


def test_an_orphan_comes_back_when_its_passage_does():
    a = annotate(TEXT, PASSAGE)
    gone = reanchor(a, None)
    assert gone.status == ORPHANED
    back = reanchor(gone, "Intro.\n" + TEXT)
    assert back.status == ANCHORED and back.start == a.start + len("Intro.\n")


def test_place_rejects_empty_input():
    assert place("", "x") is None and place("text", "") is None


def test_find_quote_exact_then_ignoring_space_then_case():
    assert find_quote(TEXT, "free online trial") == (TEXT.index("free online"), TEXT.index(" of Clearview AI."))
    start = TEXT.index("Ontario")
    assert find_quote(TEXT, "Ontario   Provincial\nPolice") == (start, start + len("Ontario Provincial Police"))
    assert find_quote(TEXT, "ONTARIO provincial police") == (start, start + len("Ontario Provincial Police"))
    assert find_quote(TEXT, "not there") is None
    last = TEXT.rindex("the company")
    assert find_quote(TEXT, "the company", near=len(TEXT)) == (last, last + len("the company"))


WORDS = st.lists(st.sampled_from(["police", "trial", "commissioner", "report", "images", "officers",
                                  "Ontario", "breach", "client", "list", "the", "of", "and", "in"]),
                 min_size=40, max_size=120).map(" ".join)
NUMBERED = WORDS.map(lambda text: " ".join(f"{w}{i}" for i, w in enumerate(text.split())))  # no repeats
NOISE = st.text(alphabet="xyzXYZ .,\n", min_size=1, max_size=300)  # letters the words lack


@settings(max_examples=60, deadline=None)
@given(text=WORDS, noise=NOISE, data=st.data())
def test_property_text_inserted_outside_the_passage_never_moves_it(text, noise, data):
    start = data.draw(st.integers(0, len(text) - 30))
    length = data.draw(st.integers(20, min(80, len(text) - start)))
    a = replace(annotate(text, text[start:start + length]), start=start, end=start + length,
                prefix=text[max(0, start - 32):start], suffix=text[start + length:start + length + 32])
    a = replace(a, exact=text[start:start + length])
    if not a.exact.strip() or a.exact != a.exact.strip():
        return
    where = data.draw(st.sampled_from(["before", "after"]))
    span = st.integers(0, start) if where == "before" else st.integers(start + length, len(text))
    cut = data.draw(span)
    changed = text[:cut] + noise + text[cut:]
    b = reanchor(a, changed)
    shift = len(noise) if where == "before" else 0
    assert b.status == ANCHORED
    assert (b.start, b.end) == (a.start + shift, a.end + shift)


@settings(max_examples=60, deadline=None)
@given(text=NUMBERED, data=st.data())
def test_property_one_changed_letter_inside_a_long_passage_is_followed(text, data):
    start = data.draw(st.integers(0, len(text) - 60))
    end = start + data.draw(st.integers(40, min(120, len(text) - start)))
    exact, prefix, suffix = selectors(text, start, end)
    if exact != exact.strip():
        return
    a = Annotation(AnnotationId("a"), NoteId("n"), exact, prefix, suffix, start, end)
    at = data.draw(st.integers(start + 1, end - 2))
    changed = text[:at] + "#" + text[at + 1:]
    b = reanchor(a, changed)
    assert b.status == ANCHORED
    assert (b.start, b.end) == (start, end)
    assert b.exact == changed[start:end]
