"""The search index's schema and text analysis, versioned together.

Text fields go through one analyzer: simple word split, overlong tokens dropped,
lower-cased, accents folded to ASCII (`Québec` -> `quebec`) and English
stemming (`officers` -> `offic`). Prefixes and typo candidates use the same
chain without the stemmer.
"""

from __future__ import annotations

import threading

import tantivy

# Any change to the fields, the analysis or what is indexed: bump SCHEMA_VERSION
# (in index.py, read without loading tantivy), so older indexes are rebuilt.
ANALYZER = "kb_text"
TEXT_FIELDS = ("title", "aliases", "body")
MAX_TOKEN_CHARS = 40


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", tokenizer_name=ANALYZER)
    builder.add_text_field("aliases", tokenizer_name=ANALYZER)
    builder.add_text_field("body", tokenizer_name=ANALYZER)
    builder.add_text_field("type", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("tag", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("date_start", indexed=True, fast=True)
    builder.add_integer_field("date_end", indexed=True, fast=True)
    return builder.build()


def _analyzer(stem: bool) -> tantivy.TextAnalyzer:
    builder = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
               .filter(tantivy.Filter.remove_long(MAX_TOKEN_CHARS))
               .filter(tantivy.Filter.lowercase())
               .filter(tantivy.Filter.ascii_fold()))
    if stem:
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    return builder.build()


class Analysis:
    """Turns query text into index terms, the way the index saw the notes.

    One lock guards the analyzers: they are Rust objects borrowed mutably.
    """

    def __init__(self) -> None:
        self.indexing = _analyzer(stem=True)
        self._stemmed = _analyzer(stem=True)
        self._plain = _analyzer(stem=False)
        self._lock = threading.Lock()

    def terms(self, text: str) -> list[str]:
        """Stemmed terms, as indexed."""
        with self._lock:
            return self._stemmed.analyze(text)

    def words(self, text: str) -> list[str]:
        """Folded, lower-cased words, not stemmed (for prefixes and typos)."""
        with self._lock:
            return self._plain.analyze(text)


def register(index: tantivy.Index, analysis: Analysis) -> None:
    index.register_tokenizer(ANALYZER, analysis.indexing)
