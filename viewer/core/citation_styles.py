"""The citation styles a reader can choose (Edit › Citation Style): a name and a CSL file in resources/csl."""

from __future__ import annotations

STYLES = {
    "apa": ("APA 7th edition", "apa.csl"),
    "chicago": ("Chicago 18th edition (notes and bibliography)", "chicago-notes-bibliography.csl"),
    "mla": ("MLA 9th edition", "modern-language-association.csl"),
}
DEFAULT_STYLE = "apa"
