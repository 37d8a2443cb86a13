"""Start the Qt application and show the counter window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from kameng_desk.paths import DeskPaths


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("卡盟收银台"))
        self.setCentralWidget(QLabel(self.tr("卡盟收银台")))
        self.resize(1024, 700)


def run_app(paths: DeskPaths, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    window = MainWindow()
    window.show()
    return app.exec()
