"""A small dialog of export choices: a few drop-down lists and check boxes, then OK.

Used before the file dialog by File › Export (highlights on or off), Export
Annotations… (format, citation style, grouping) and Export Sources… (format,
only the sources cited). The last choices are kept in the settings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QWidget


class ExportOptions(QDialog):
    """`choices`: (key, label, [(value, text), ...]); `checks`: (key, label, default)."""

    def __init__(self, parent: QWidget | None, title: str, settings: QSettings,
                 choices: list[tuple[str, str, list[tuple[str, str]]]] = (),
                 checks: list[tuple[str, str, bool]] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.settings = settings
        self.combos: dict[str, QComboBox] = {}
        self.boxes: dict[str, QCheckBox] = {}
        form = QFormLayout(self)
        for key, label, options in choices:
            combo = QComboBox()
            combo.setAccessibleName(label.replace("&", ""))
            for value, text in options:
                combo.addItem(text, value)
            kept = combo.findData(settings.value(f"export/{key}", options[0][0]))
            combo.setCurrentIndex(max(0, kept))
            form.addRow(label, combo)
            self.combos[key] = combo
        for key, label, default in checks:
            box = QCheckBox(label)
            box.setAccessibleName(label.replace("&", ""))
            box.setChecked(str(settings.value(f"export/{key}", default)).lower() in ("true", "1"))
            form.addRow(box)
            self.boxes[key] = box
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {key: combo.currentData() for key, combo in self.combos.items()}
        out.update({key: box.isChecked() for key, box in self.boxes.items()})
        return out

    def ask(self) -> dict[str, object] | None:
        """Run the dialog; the choices (kept for next time), or None if cancelled."""
        if self.exec() != QDialog.DialogCode.Accepted:
            return None
        found = self.values()
        for key, value in found.items():
            self.settings.setValue(f"export/{key}", value)
        return found
